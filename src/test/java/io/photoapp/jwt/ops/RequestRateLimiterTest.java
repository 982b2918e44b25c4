package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The operator's request bound: a burst at once, then one request per interval, in order. */
class RequestRateLimiterTest {
  final AtomicLong now = new AtomicLong(123_456_789L);
  final List<Long> slept = new ArrayList<>();
  final RequestRateLimiter limiter = new RequestRateLimiter(500, 100, now::get, nanos -> {
    slept.add(nanos);
    now.addAndGet(nanos);
  });

  @Test
  void aBurstGoesAtOnceThenTwoMillisecondsApart() {
    int atOnce = 0;
    List<Long> waits = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      long wait = limiter.reserve();
      if (wait == 0) {
        atOnce++;
      } else {
        waits.add(wait);
      }
    }
    assertThat(atOnce).isEqualTo(100);
    // Turns in order, each 2 ms after the one before it.
    for (int i = 1; i < waits.size(); i++) {
      assertThat(waits.get(i) - waits.get(i - 1)).isEqualTo(2_000_000L);
    }
    // The 1,000th request goes 1.8 s after the first: (1000 - 100) turns of 2 ms.
    assertThat(waits.get(waits.size() - 1)).isEqualTo(900 * 2_000_000L);
  }

  @Test
  void inAnyOneSecondAtMostRatePlusBurstGo() {
    List<Long> departures = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      long at = now.get() + limiter.reserve();
      departures.add(at);
    }
    long start = departures.get(0);
    for (long windowStart = start; windowStart < departures.get(departures.size() - 1); windowStart += 50_000_000L) {
      long from = windowStart;
      long count = departures.stream().filter(t -> t >= from && t < from + 1_000_000_000L).count();
      assertThat(count).as("requests in the second from %d", from).isLessThanOrEqualTo(600);
    }
  }

  @Test
  void aQuietSpellRefillsTheBurst() {
    for (int i = 0; i < 300; i++) {
      limiter.reserve();
    }
    now.addAndGet(1_000_000_000L);
    long atOnce = java.util.stream.IntStream.range(0, 150).filter(i -> limiter.reserve() == 0).count();
    assertThat(atOnce).isEqualTo(100);
  }

  @Test
  void aRequestOverTheRateWaitsInItsCallersThread() {
    for (int i = 0; i < 100; i++) {
      limiter.before(null, request("/api/v1/namespaces/a/secrets"), null);
    }
    assertThat(slept).isEmpty();
    limiter.before(null, request("/api/v1/namespaces/a/secrets"), null);
    assertThat(slept).containsExactly(2_000_000L);
  }

  @Test
  void watchesAndLeaseRenewalsAreNotCounted() {
    assertThat(RequestRateLimiter.exempt(URI.create("https://api/apis/jwt.photoapp.io/v1alpha1/jwtsecrets?watch=true&resourceVersion=1")))
        .isTrue();
    assertThat(RequestRateLimiter.exempt(URI.create("https://api/apis/coordination.k8s.io/v1/namespaces/ops/leases/jwt"))).isTrue();
    assertThat(RequestRateLimiter.exempt(URI.create("https://api/api/v1/namespaces/a/secrets?labelSelector=x"))).isFalse();
    assertThat(RequestRateLimiter.exempt(URI.create("https://api/apis/jwt.photoapp.io/v1alpha1/namespaces/a/jwtsecrets/x/status")))
        .isFalse();
    for (int i = 0; i < 1000; i++) {
      limiter.before(null, request("/apis/coordination.k8s.io/v1/namespaces/ops/leases/jwt"), null);
    }
    assertThat(slept).isEmpty();
    assertThat(limiter.reserve()).as("the burst is still whole").isZero();
  }

  static io.fabric8.kubernetes.client.http.HttpRequest request(String path) {
    return new io.fabric8.kubernetes.client.http.StandardHttpRequest.Builder().uri(URI.create("https://api" + path)).build();
  }
}
