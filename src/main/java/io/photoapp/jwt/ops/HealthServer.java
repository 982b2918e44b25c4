package io.photoapp.jwt.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Serves {@code /metrics}, {@code /healthz} and {@code /readyz} on one port. */
public final class HealthServer implements AutoCloseable {
  /** What /readyz reports. */
  public record Readiness(boolean ready, String text) {}

  private final HttpServer server;

  public HealthServer(int port, Supplier<String> metrics, Supplier<Boolean> alive, Supplier<Readiness> readiness)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "health-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.get()));
    server.createContext("/healthz", ex -> {
      boolean ok = alive.get();
      respond(ex, ok ? 200 : 503, "text/plain", ok ? "ok\n" : "not alive\n");
    });
    server.createContext("/readyz", ex -> {
      Readiness r = readiness.get();
      respond(ex, r.ready() ? 200 : 503, "text/plain", r.text() + "\n");
    });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
