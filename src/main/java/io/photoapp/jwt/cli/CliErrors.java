package io.photoapp.jwt.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;

/** Turns a failure into the one line after {@code error: }; API error texts never hold key material. */
final class CliErrors {
  private CliErrors() {}

  static String describe(Throwable e) {
    return describe(e, null);
  }

  /** @param server the API server's URL, when known */
  static String describe(Throwable e, String server) {
    if (e instanceof CliError) {
      return e.getMessage();
    }
    if (e instanceof KubernetesClientException k) {
      return describeApi(k, server);
    }
    return oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  private static String describeApi(KubernetesClientException e, String server) {
    String at = server == null ? "" : " at " + server;
    IOException io = ioCause(e);
    if (e.getCode() <= 0 && io != null) {
      return "cannot reach the API server" + at + ": " + why(io);
    }
    String status = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
    return switch (e.getCode()) {
      case 401 -> "the API server" + at + " refused the credentials of the kubeconfig (401 Unauthorized)";
      case 403 -> "forbidden: " + oneLine(status);
      case 404 -> "not found: " + oneLine(status) + " (is the JwtSecret CRD installed?)";
      default -> "the API server" + at + " answered " + e.getCode() + ": " + oneLine(status);
    };
  }

  /** The most specific I/O failure in the chain: the HTTP client wraps it in plain IOExceptions. */
  private static IOException ioCause(Throwable e) {
    IOException found = null;
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof IOException io && (found == null || found.getClass() == IOException.class)) {
        found = io;
      }
    }
    return found;
  }

  private static String why(IOException io) {
    if (io instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (io instanceof java.net.UnknownHostException) {
      return "unknown host " + io.getMessage();
    }
    if (io instanceof java.net.http.HttpTimeoutException || io instanceof java.net.SocketTimeoutException) {
      return "timed out";
    }
    return io.getMessage() == null || io.getMessage().isBlank() ? io.getClass().getSimpleName() : oneLine(io.getMessage());
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").trim();
  }
}
