package io.photoapp.jwt.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.MockApiServer.Keys;
import io.photoapp.jwt.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@MockApiServer(keys = Keys.NONE)
class MergePatchCrudDispatcherTest {
  @Test
  void aMergePatchReplacesArraysAndRemovesNulls(OperatorHarness h) {
    h.namespace("photoapp", Map.of());
    h.apply(JwtSecrets.named("photoapp-jwt").in("photoapp").annotate("a", "1").annotate("b", "2").development());
    var resource = h.client.resources(JwtSecret.class).inNamespace("photoapp").withName("photoapp-jwt");
    var status = resource.subresource("status");
    status.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"workloads\":[{\"name\":\"one\"}]}}");
    status.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"workloads\":[{\"name\":\"two\"}]}}");
    resource.patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"annotations\":{\"a\":null,\"c\":\"3\"}}}");

    JwtSecret js = resource.get();
    assertThat(js.getStatus().workloads).extracting(w -> w.name).containsExactly("two");
    assertThat(js.getMetadata().getAnnotations()).containsOnly(Map.entry("b", "2"), Map.entry("c", "3"));
  }

  /**
   * A real API server starts a watch at the version it names; the stock mock dispatcher sent every
   * listed object again as ADDED, so the bench's informers parsed everything twice at start-up.
   */
  @Test
  void aWatchFromAListsVersionSendsWhatChangedAfterTheListOnly(OperatorHarness h) {
    h.namespace("photoapp", Map.of());
    var secrets = h.client.secrets().inNamespace("photoapp");
    for (int i = 0; i < 3; i++) {
      secrets.resource(secret("listed-" + i)).create();
    }
    String version = secrets.list().getMetadata().getResourceVersion();
    secrets.resource(secret("between")).create(); // after the list, before the watch opens
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = secrets.watch(new ListOptionsBuilder().withResourceVersion(version).build(), recorder(seen))) {
      secrets.resource(secret("after")).create();
      secrets.withName("listed-1").edit(s -> new SecretBuilder(s).editMetadata().addToLabels("x", "y").endMetadata().build());
      await().atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(seen).contains("ADDED between", "ADDED after", "MODIFIED listed-1"));
    }
    assertThat(seen).noneMatch(event -> event.startsWith("ADDED listed-"));
  }

  /** Without a version (or "0") a watch starts with every object, as the API server's does. */
  @Test
  void aWatchWithoutAVersionStartsWithEveryObject(OperatorHarness h) {
    h.namespace("photoapp", Map.of());
    var secrets = h.client.secrets().inNamespace("photoapp");
    secrets.resource(secret("listed-0")).create();
    secrets.resource(secret("listed-1")).create();
    List<String> seen = new CopyOnWriteArrayList<>();
    try (Watch watch = secrets.watch(recorder(seen))) {
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(seen).contains("ADDED listed-0", "ADDED listed-1"));
    }
  }

  @Test
  void aWatchsVersionIsReadFromItsQuery() {
    assertThat(WatchSince.resourceVersion("/api/v1/secrets?labelSelector=a%3Db&resourceVersion=42&watch=true")).hasValue(42);
    assertThat(WatchSince.resourceVersion("/api/v1/secrets?resourceVersion=0&watch=true")).isEmpty();
    assertThat(WatchSince.resourceVersion("/api/v1/secrets?watch=true")).isEmpty();
    assertThat(WatchSince.resourceVersion("/api/v1/secrets?resourceVersion=abc&watch=true")).isEmpty();
    assertThat(WatchSince.listedAlready("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"resourceVersion\":\"7\"}}}", 7)).isTrue();
    assertThat(WatchSince.listedAlready("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"resourceVersion\":\"8\"}}}", 7)).isFalse();
    assertThat(WatchSince.listedAlready("{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"resourceVersion\":\"5\"}}}", 7)).isFalse();
  }

  private static Secret secret(String name) {
    return new SecretBuilder().withNewMetadata().withName(name).endMetadata().addToStringData("k", "v").build();
  }

  private static Watcher<Secret> recorder(List<String> seen) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Secret secret) {
        seen.add(action + " " + secret.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    };
  }

  @Test
  void aPatchThatIsNotAnObjectReplacesTheTarget() {
    var mapper = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
    assertThat(MergePatchCrudDispatcher.apply(mapper.createObjectNode().put("x", 1), mapper.createArrayNode().add(2)))
        .hasToString("[2]");
  }
}
