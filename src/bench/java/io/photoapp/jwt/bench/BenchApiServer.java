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
      return super.dispatch(request);
    }
  }
}
