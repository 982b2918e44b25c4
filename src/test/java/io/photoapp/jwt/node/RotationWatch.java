package io.photoapp.jwt.node;

import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches one JwtSecret's Secret and its Deployments through a rotation (polling twice a second, for at
 * most an hour): when each phase began, when each Deployment's template changed (a rollout), and
 * when every Deployment had rolled out again.
 */
final class RotationWatch implements AutoCloseable {
  record PhaseChange(String phase, Instant at) {}

  record Rollout(String deployment, String phase, Instant at) {}

  final PhotoAppStack stack;
  final List<PhaseChange> phases = new CopyOnWriteArrayList<>();
  final List<Rollout> rollouts = new CopyOnWriteArrayList<>();
  /** Times at which every Deployment had rolled out after a template change. */
  final List<Instant> settled = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile int rotationCount;
  private volatile String keyId;

  RotationWatch(PhotoAppStack stack) {
    this.stack = stack;
    this.thread = new Thread(this::poll, "rotation-watch");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    Map<String, Long> generations = new HashMap<>();
    String phase = null;
    boolean pending = false;
    Instant end = Instant.now().plus(Duration.ofHours(1));
    while (running && Instant.now().isBefore(end)) {
      try {
        // The Secret's annotations, which the operator writes before it patches the templates: a rollout
        // is then counted in the stage that made it.
        Secret secret = stack.node.admin.secrets().inNamespace(stack.namespace).withName(PhotoAppStack.JWT).get();
        if (secret != null && secret.getMetadata().getAnnotations() != null) {
          Map<String, String> a = secret.getMetadata().getAnnotations();
          String p = Phase.parse(a.get(Labels.PHASE)).name();
          if (!p.equals(phase)) {
            phases.add(new PhaseChange(p, Instant.now()));
            phase = p;
          }
          rotationCount = Integer.parseInt(a.getOrDefault(Labels.ROTATION_COUNT, "0"));
          keyId = a.get(Labels.KEY_ID);
        }
        for (String name : stack.appNames()) {
          long g = stack.generation(name);
          Long before = generations.put(name, g);
          if (before != null && g != before) {
            rollouts.add(new Rollout(name, phase, Instant.now()));
            pending = true;
          }
        }
        if (pending && stack.appNames().stream().allMatch(stack::rolledOut)) {
          settled.add(Instant.now());
          pending = false;
        }
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // the API server was briefly unavailable: look again
      }
    }
  }

  int rotationCount() {
    return rotationCount;
  }

  String keyId() {
    return keyId;
  }

  /**
   * Each stage after {@code from}: how long it lasted and how many rollouts began in it. The return to
   * Idle that removes the previous key ends the retire stage (or an emergency): its rollout is counted there,
   * with the time until every Deployment had rolled out.
   */
  String stages(Instant from) {
    List<String> out = new ArrayList<>();
    List<PhaseChange> list = new ArrayList<>(phases);
    for (int i = 0; i < list.size(); i++) {
      PhaseChange c = list.get(i);
      if (c.at().isBefore(from)) {
        continue;
      }
      Instant until = i + 1 < list.size() ? list.get(i + 1).at() : Instant.now();
      long n = rollouts.stream().filter(r -> !r.at().isBefore(c.at()) && r.at().isBefore(until)).count();
      if (c.phase().equals("Idle")) {
        if (n > 0) {
          Instant done = settled.stream().filter(t -> t.isAfter(c.at())).findFirst().orElse(until);
          out.add(String.format(Locale.ROOT, "back to Idle, old key dropped: %d rollout%s, %d s", n, n == 1 ? "" : "s", Duration.between(c.at(), done).toSeconds()));
        }
        continue;
      }
      out.add(String.format(Locale.ROOT, "%s %d s (%d rollout%s)", c.phase(), Duration.between(c.at(), until).toSeconds(), n,
          n == 1 ? "" : "s"));
    }
    long all = rolloutsSince(from);
    if (out.isEmpty() && all > 0) {
      // An emergency: no stage, the targets rolled at once.
      Instant done = settled.stream().filter(t -> t.isAfter(from)).findFirst().orElse(Instant.now());
      out.add(String.format(Locale.ROOT, "rolled at once: %d rollout%s, %d s", all, all == 1 ? "" : "s",
          Duration.between(from, done).toSeconds()));
    }
    return String.join(", ", out);
  }

  long rolloutsSince(Instant from) {
    return rollouts.stream().filter(r -> !r.at().isBefore(from)).count();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.interrupt();
    thread.join(5000);
  }
}
