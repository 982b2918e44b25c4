package io.photoapp.jwt.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.spec.Durations;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows requested rotations stage by stage, printing a line whenever one moves, until all are
 * complete ({@link RotationProgress}) or the timeout passes. The timeout runs on the wall clock: the
 * request time comes from the injected clock, but waiting is real.
 */
final class RotationWatch {
  private final KubernetesClient client;
  private final PrintWriter out;
  private final Duration pollInterval;

  RotationWatch(KubernetesClient client, PrintWriter out, Duration pollInterval) {
    this.client = client;
    this.out = out;
    this.pollInterval = pollInterval;
  }

  /** Whether every request completed in time. */
  boolean follow(List<RotationRequest> requests, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<RotationRequest> pending = new ArrayList<>(requests);
    Map<RotationRequest, String> lastLine = new HashMap<>();
    Map<RotationRequest, String> waitingFor = new HashMap<>();
    boolean failed = false;
    while (true) {
      for (RotationRequest request : List.copyOf(pending)) {
        JwtSecret js = client.resources(JwtSecret.class).inNamespace(request.namespace()).withName(request.name()).get();
        if (js == null) {
          out.println(request.where() + ": deleted while waiting");
          pending.remove(request);
          failed = true;
          continue;
        }
        String line = RotationProgress.describe(js.getStatus());
        waitingFor.put(request, RotationProgress.readyMessage(js.getStatus()));
        if (!line.equals(lastLine.put(request, line))) {
          out.println(request.where() + ": " + line);
        }
        if (RotationProgress.complete(js.getStatus(), request)) {
          out.println(request.where() + ": " + (request.emergency() ? "emergency " : "") + "rotation complete, key "
              + js.getStatus().keyId + (request.emergency()
                  ? "; every target has rolled out, tokens signed with older keys no longer verify" : ""));
          pending.remove(request);
        }
      }
      out.flush();
      if (pending.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      sleep();
    }
    for (RotationRequest request : pending) {
      out.println(request.where() + ": not complete after " + Durations.format(timeout) + " (" + lastLine.get(request)
          + "; Ready: " + waitingFor.get(request) + "); the operator carries on, see: status " + request.name()
          + " -n " + request.namespace());
    }
    out.flush();
    return pending.isEmpty() && !failed;
  }

  private void sleep() {
    try {
      Thread.sleep(pollInterval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliError("interrupted while waiting");
    }
  }
}
