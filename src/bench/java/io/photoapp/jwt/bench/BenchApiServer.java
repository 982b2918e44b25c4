package io.photoapp.jwt.bench;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.photoapp.jwt.demo.MergePatchCrudDispatcher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The fabric8 mock API server in CRUD mode, in a process of its own so that the operator's memory
 * can be measured without it. Counts every request by client (User-Agent), verb and resource;
 * {@code GET /bench/counts} returns the counts as lines, {@code POST /bench/reset} clears them.
 * Prints {@code PORT <n>} when it listens and stops when its standard input closes.
 */
public final class BenchApiServer {
  private BenchApiServer() {}

  public static void main(String[] args) throws Exception {
    java.util.logging.Logger mockLog = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
    mockLog.setLevel(java.util.logging.Level.WARNING);
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        new CountingDispatcher(), false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    System.out.println("PORT " + server.getPort());
    System.out.flush();
    // Stop with the parent: it holds our standard input open for as long as it wants us.
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      while (in.readLine() != null) {
        // nothing to read; EOF means stop
      }
    }
    server.destroy();
    System.exit(0);
  }

  /**
   * The CRUD dispatcher that counts what it serves. It applies JSON merge patches as the API server
   * does (MergePatchCrudDispatcher): with the stock dispatcher, arrays in status grew with every
   * patch, readers found stale conditions first, and the operator kept reporting the same change.
   */
  static final class CountingDispatcher extends MergePatchCrudDispatcher {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (path.startsWith("/bench/")) {
        if (path.startsWith("/bench/reset")) {
          counts.clear();
          return new MockResponse().setResponseCode(200).setBody("reset\n");
        }
        StringBuilder body = new StringBuilder();
        new TreeMap<>(counts).forEach((k, v) -> body.append(k).append('\t').append(v.sum()).append('\n'));
        return new MockResponse().setResponseCode(200).setBody(body.toString());
      }
      String agent = request.getHeader("User-Agent");
      String client = agent != null && agent.startsWith("bench-") ? agent : "operator";
      counts.computeIfAbsent(client + '\t' + RequestKey.verb(request.getMethod(), path) + '\t' + RequestKey.resource(path),
          k -> new LongAdder()).increment();
      String token = query(path).get("continue");
      if (token != null && pending.containsKey(token)) {
        // The next page of a list already taken: the mock server would list everything again.
        return paged(request, new MockResponse().setResponseCode(200).setBody("{}"));
      }
      return paged(request, super.dispatch(request));
    }

    /** The rest of each list served in pages, by continue token. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private record Pending(String apiVersion, String kind, java.util.Deque<com.fasterxml.jackson.databind.JsonNode> items) {}
    private final java.util.concurrent.atomic.AtomicLong tokens = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Serves a list in pages when it asks for them ({@code limit}), as the API server does and the
     * mock server does not: the first page keeps the rest of the list under a continue token. Without
     * pages, a new operator met 200 labelled Secrets of 1 MiB in one reply (bench 4c).
     */
    MockResponse paged(RecordedRequest request, MockResponse response) {
      Map<String, String> query = query(request.getPath());
      if (!"GET".equals(request.getMethod()) || !query.containsKey("limit") || "true".equals(query.get("watch"))
          || response.code() != 200 || response.getBody() == null) {
        return response;
      }
      try {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        int limit = Integer.parseInt(query.get("limit"));
        String token = query.get("continue");
        Pending taken = token == null ? null : pending.remove(token);
        com.fasterxml.jackson.databind.node.ObjectNode list;
        Pending rest;
        if (taken == null) {
          list = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(response.getBody().getBytes());
          if (!(list.get("items") instanceof com.fasterxml.jackson.databind.node.ArrayNode items)) {
            return response;
          }
          rest = new Pending(list.path("apiVersion").asText("v1"), list.path("kind").asText("List"), new java.util.ArrayDeque<>());
          items.forEach(rest.items()::add);
        } else {
          rest = taken;
          list = json.createObjectNode();
          list.put("apiVersion", rest.apiVersion()).put("kind", rest.kind());
        }
        com.fasterxml.jackson.databind.node.ArrayNode page = json.createArrayNode();
        while (page.size() < limit && !rest.items().isEmpty()) {
          page.add(rest.items().poll());
        }
        list.set("items", page);
        com.fasterxml.jackson.databind.node.ObjectNode meta = list.has("metadata")
            ? (com.fasterxml.jackson.databind.node.ObjectNode) list.get("metadata") : list.putObject("metadata");
        if (rest.items().isEmpty()) {
          meta.remove("continue");
        } else {
          String next = "page-" + tokens.incrementAndGet();
          pending.put(next, rest);
          meta.put("continue", next);
        }
        return response.setBody(json.writeValueAsBytes(list));
      } catch (java.io.IOException | RuntimeException e) {
        return response;
      }
    }

    private static Map<String, String> query(String path) {
      Map<String, String> query = new HashMap<>();
      int q = path.indexOf('?');
      if (q >= 0) {
        for (String pair : path.substring(q + 1).split("&")) {
          int eq = pair.indexOf('=');
          if (eq > 0) {
            query.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
      }
      return query;
    }
  }
}
