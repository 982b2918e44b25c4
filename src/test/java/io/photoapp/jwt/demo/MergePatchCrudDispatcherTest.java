package io.photoapp.jwt.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.MockApiServer.Keys;
import io.photoapp.jwt.testing.OperatorHarness;
import java.util.Map;
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

  @Test
  void aPatchThatIsNotAnObjectReplacesTheTarget() {
    var mapper = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
    assertThat(MergePatchCrudDispatcher.apply(mapper.createObjectNode().put("x", 1), mapper.createArrayNode().add(2)))
        .hasToString("[2]");
  }
}
