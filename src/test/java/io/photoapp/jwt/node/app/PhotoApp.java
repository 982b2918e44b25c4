package io.photoapp.jwt.node.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * The photo app's stand-in, run as pods by the node tier (e2e/node/run): it reads its keys once at
 * start ({@link KeyRing}) and serves
 * <ul>
 *   <li>{@code GET /login?user=NAME}: a JWT for NAME signed with the current key (header {@code kid});
 *       404 on a pod that only verifies;</li>
 *   <li>{@code GET /api} with {@code Authorization: Bearer TOKEN}: 200 when a key it holds verifies the
 *       token, else 401 with the reason (never the token);</li>
 *   <li>{@code GET /ready}: the readiness probe, 503 once the pod is stopping.</li>
 * </ul>
 * Every answer is one line of {@code key=value} pairs naming the pod, so that the load driver sees
 * which pod signed and which verified. On SIGTERM it first reports not ready and keeps serving for
 * {@code DRAIN_SECONDS} (default 3), while the Service drops it, as a real app behind a Service should.
 */
public final class PhotoApp {
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9_-]{1,32}");

  private PhotoApp() {}

  public static void main(String[] args) throws Exception {
    Clock clock = Clock.systemUTC();
    KeyRing keys = KeyRing.load(System.getenv(), clock);
    String pod = System.getenv().getOrDefault("POD_NAME", "local");
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8000"));
    long drainSeconds = Long.parseLong(System.getenv().getOrDefault("DRAIN_SECONDS", "3"));
    AtomicBoolean stopping = new AtomicBoolean();

    HttpServer server = HttpServer.create(new InetSocketAddress(port), 64);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/ready", ex -> reply(ex, stopping.get() ? 503 : 200, "pod=" + pod + " ready=" + !stopping.get()));
    server.createContext("/login", ex -> {
      if (!keys.canSign()) {
        reply(ex, 404, "pod=" + pod + " error=verify-only");
        return;
      }
      String query = ex.getRequestURI().getRawQuery();
      String user = query != null && query.startsWith("user=") ? query.substring(5) : "user";
      if (!USER.matcher(user).matches()) {
        reply(ex, 400, "pod=" + pod + " error=bad-user");
        return;
      }
      try {
        reply(ex, 200, "pod=" + pod + " kid=" + keys.signingKeyId().orElseThrow() + " token=" + keys.sign(user));
      } catch (Exception e) {
        reply(ex, 500, "pod=" + pod + " error=sign-failed");
      }
    });
    server.createContext("/api", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ")) {
        reply(ex, 401, "pod=" + pod + " refused=no-token");
        return;
      }
      KeyRing.Verdict verdict = keys.verify(auth.substring(7).trim());
      reply(ex, verdict.accepted() ? 200 : 401, "pod=" + pod + " kid=" + verdict.kid()
          + (verdict.accepted() ? " user=" + verdict.subject() : " refused=" + verdict.refusal()));
    });
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.set(true);
      try {
        Thread.sleep(drainSeconds * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      server.stop(1);
    }, "drain"));
    server.start();
    System.out.println("photo app " + pod + " on :" + port + ", signs with " + keys.signingKeyId().orElse("(none)")
        + ", verifies with " + keys.verifyKeyIds());
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.getResponseHeaders().set("Connection", "close");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
    ex.close();
  }
}
