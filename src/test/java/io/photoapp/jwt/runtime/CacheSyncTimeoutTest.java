package io.photoapp.jwt.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.photoapp.jwt.ops.OperatorConfig;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The SDK waits its cache sync timeout for the informers' first lists, then stops the operator: 2
 * minutes by default, too short for 10,000 Deployments on a slow API server. The operator's own
 * default is 10 minutes, and {@code --cache-sync-timeout} sets it.
 */
class CacheSyncTimeoutTest {
  /** A client of an address nothing answers at: building the runtime sends no request. */
  static KubernetesClient unreachable() {
    return new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl("https://127.0.0.1:9")
        .withRequestTimeout(100).withConnectionTimeout(100).withRequestRetryBackoffLimit(0).build()).build();
  }

  static Duration configured(OperatorConfig config) {
    try (KubernetesClient client = unreachable()) {
      OperatorRuntime runtime = new OperatorRuntime(client, config, Clock.systemUTC());
      return runtime.operator().getConfigurationService().cacheSyncTimeout();
    }
  }

  @Test
  void theSdkWaitsTenMinutesByDefaultAndWhatTheFlagSays() {
    assertThat(configured(OperatorConfig.defaults().withMetricsPort(-1))).isEqualTo(Duration.ofMinutes(10));
    assertThat(configured(OperatorConfig.defaults().withMetricsPort(-1).withCacheSyncTimeout(Duration.ofMinutes(25))))
        .isEqualTo(Duration.ofMinutes(25));
    // Other settings leave it as it was.
    assertThat(OperatorConfig.defaults().withCacheSyncTimeout(Duration.ofSeconds(90)).withNamespaces(java.util.Set.of("a"))
        .withMaxConcurrentRollouts(3).withAllowInsecureStores(true).withMaxRequestsPerSecond(50).cacheSyncTimeout())
        .isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void aTimeoutOfZeroOrOverAnHourIsRefused() {
    for (Duration refused : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofMinutes(61)}) {
      assertThatThrownBy(() -> OperatorConfig.defaults().withCacheSyncTimeout(refused))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 0 and at most 1h");
    }
    assertThat(OperatorConfig.defaults().withCacheSyncTimeout(Duration.ofHours(1)).cacheSyncTimeout()).isEqualTo(Duration.ofHours(1));
  }
}
