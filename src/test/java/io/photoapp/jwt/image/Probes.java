package io.photoapp.jwt.image;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The operator's HTTP endpoints on loopback, as the kubelet's probes reach them. */
final class Probes {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Probes() {}

  static int status(int port, String path) throws InterruptedException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  static void get(int port, String path) throws InterruptedException {
    int code = status(port, path);
    if (code != 200) {
      throw new IllegalStateException(path + " answered " + code);
    }
  }

  /** Polls /readyz until it answers 200; returns the nanoTime of that answer. */
  static long awaitReady(Process process, int port, Duration timeout, Path log) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the operator exited with " + process.exitValue() + ":\n" + tail(log));
      }
      if (status(port, "/readyz") == 200) {
        return System.nanoTime();
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("/readyz not 200 within " + timeout + ":\n" + tail(log));
  }

  static String tail(Path log) throws IOException {
    String text = Files.exists(log) ? Files.readString(log) : "";
    return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
  }
}
