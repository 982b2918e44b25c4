package io.photoapp.jwt.ops;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The operator's own bound on what it asks of the API server: every request but a watch passes a
 * token bucket shared by the whole process, {@code perSecond} a second after a burst of
 * {@code burst}, so in any one second at most {@code perSecond + burst} go out, whichever JwtSecrets
 * they are for and however many fall due at once. A request over the rate waits in the caller's
 * thread for its turn; turns are handed out in order (GCRA), so nobody starves.
 *
 * <p>It counts requests, not reconciles: a reconcile that finds nothing to do costs nothing, and
 * the SDK's own finalizer patch costs one request rather than a reconcile's worth. Watches are
 * long-lived and not counted; nor are the Lease's renewals, which must never wait behind a burst
 * of work (a late renewal hands the Lease to a standby).
 */
public final class RequestRateLimiter implements Interceptor {
  /** The interceptor's name on the HTTP client. */
  public static final String NAME = "jwt-operator-request-rate";

  private final long interval;
  private final long tolerance;
  private final LongSupplier nanoTime;
  private final Sleeper sleeper;
  private long next;
  private boolean used;

  /** How a request waits; tests replace it. */
  interface Sleeper {
    void sleepNanos(long nanos) throws InterruptedException;
  }

  public RequestRateLimiter(int perSecond, int burst) {
    this(perSecond, burst, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
  }

  RequestRateLimiter(int perSecond, int burst, LongSupplier nanoTime, Sleeper sleeper) {
    if (perSecond < 1 || burst < 1) {
      throw new IllegalArgumentException("perSecond and burst must be at least 1");
    }
    this.interval = 1_000_000_000L / perSecond;
    this.tolerance = (burst - 1) * interval;
    this.nanoTime = nanoTime;
    this.sleeper = sleeper;
  }

  /** Adds the limiter of {@code config} to an HTTP client being built. */
  public static void install(HttpClient.Builder http, OperatorConfig config) {
    http.addOrReplaceInterceptor(NAME, new RequestRateLimiter(config.maxRequestsPerSecond(), config.requestBurst()));
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (exempt(request.uri())) {
      return;
    }
    long wait = reserve();
    if (wait > 0) {
      try {
        sleeper.sleepNanos(wait);
      } catch (InterruptedException e) {
        // Shutting down: let the request go (the client fails it if it is closed) and keep the flag.
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Takes the next turn; returns how long to wait for it (0: at once). */
  synchronized long reserve() {
    long now = nanoTime.getAsLong();
    long arrival = used && next - now > 0 ? next : now;
    used = true;
    next = arrival + interval;
    long earliest = arrival - tolerance;
    return Math.max(0, earliest - now);
  }

  static boolean exempt(URI uri) {
    String query = uri.getRawQuery();
    return (query != null && query.contains("watch=true")) || uri.getRawPath().contains("/apis/coordination.k8s.io/");
  }
}
