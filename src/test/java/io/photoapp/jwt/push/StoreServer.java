package io.photoapp.jwt.push;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A store's API on 127.0.0.1 (HTTP or HTTPS), in the JDK's own HTTP server: it records every request
 * and answers through a handler that follows the store's documented API.
 */
final class StoreServer implements AutoCloseable {
  /** A request as received. */
  record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
    /** The first value of a header, by case-insensitive name; null when absent. */
    String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
  }

  /** An answer. */
  record Response(int status, Map<String, String> headers, String body) {
    static Response json(int status, String body) {
      return new Response(status, Map.of("Content-Type", "application/json"), body);
    }
  }

  /** Answers a request. */
  interface Handler {
    Response handle(Request request);
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(16);
  private final List<Request> requests = new ArrayList<>();
  private final String url;

  private StoreServer(HttpServer server, Handler handler, String scheme) {
    this.server = server;
    server.createContext("/", exchange -> answer(exchange, handler));
    server.setExecutor(executor);
    server.start();
    this.url = scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  static StoreServer http(Handler handler) throws IOException {
    return new StoreServer(HttpServer.create(address(), 0), handler, "http");
  }

  static StoreServer https(Handler handler) throws IOException {
    HttpsServer server = HttpsServer.create(address(), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(TestTls.get().serverContext()));
    return new StoreServer(server, handler, "https");
  }

  /**
   * A store that answers with headers and the first bytes of a body, then stalls until closed: what a
   * slow or hostile server does to a client without a total deadline.
   */
  static StoreServer stallingBody(int status) throws IOException {
    HttpServer server = HttpServer.create(address(), 0);
    StoreServer s = new StoreServer(server, null, "http");
    server.removeContext("/");
    server.createContext("/", exchange -> {
      synchronized (s.requests) {
        s.requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), null, Map.of(), ""));
      }
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, 100_000);
      exchange.getResponseBody().write("{\"data\":".getBytes(StandardCharsets.UTF_8));
      exchange.getResponseBody().flush();
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    return s;
  }

  private static InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
  }

  private void answer(HttpExchange exchange, Handler handler) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestURI().getQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
      synchronized (requests) {
        requests.add(request);
      }
      Response response;
      try {
        response = handler.handle(request);
      } catch (RuntimeException e) {
        response = Response.json(500, "{\"error\":\"test handler: " + e.getClass().getSimpleName() + "\"}");
      }
      response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
    }
  }

  String url() {
    return url;
  }

  /** The requests received since the last call. */
  List<Request> take() {
    synchronized (requests) {
      List<Request> taken = new ArrayList<>(requests);
      requests.clear();
      return taken;
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
