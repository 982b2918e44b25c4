package io.photoapp.jwt.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the on-call commands: checks the arguments, connects with the kubectl-style options, and
 * turns an API failure into one {@code error: ...} line (exit code 2).
 */
abstract class OnCallCommand implements Callable<Integer> {
  static final int OK = 0;
  static final int PROBLEMS = 1;
  static final int ERROR = 2;

  @Mixin
  KubeOptions kube;

  @Spec
  CommandSpec spec;

  /** Refuses bad arguments with a {@link CliError} before anything talks to the API server. */
  abstract void checkArguments();

  abstract int run(KubernetesClient client);

  @Override
  public final Integer call() {
    checkArguments();
    try (KubernetesClient client = kube.connect()) {
      try {
        return run(client);
      } catch (KubernetesClientException e) {
        throw new CliError(CliErrors.describe(e, client.getMasterUrl().toString()));
      }
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  static String orDash(Object value) {
    return value == null || value.toString().isBlank() ? "-" : value.toString();
  }
}
