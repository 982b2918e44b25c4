package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.PushTarget;
import io.photoapp.jwt.api.StoreRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On a cluster whose CRD has no schema, spec.push[].storeRef.name is whatever the namespace user wrote.
 * It becomes part of the target's id and of the refusal's message, and so of status, Events, log lines
 * and the metrics' target label: the resolver states the schema's name rule again.
 */
class StoreRefNameTest {
  @Test
  void aStoreNameTheSchemaWouldRefuseIsRefusedWithoutBeingEchoed() {
    String forged = "team-vault\n2026-12-04 03:00:00 INFO  io.photoapp.jwt pushed key set abc of kube-system/x";
    for (String name : List.of(forged, "x".repeat(100_000), "Team-Vault")) {
      var js = StoreFixtures.jwtSecret("photoapp", "app", "[]");
      js.getSpec().push = List.of(new PushTarget(new StoreRef(name, null), "backend"));
      Target target = new StoreResolver(new StoreFixtures.Directory(), false).resolve(js).get(0);
      assertThat(target.refusal()).hasValueSatisfying(e -> {
        assertThat(e.reason()).isEqualTo(PushException.Reason.InvalidTarget);
        assertThat(e.getMessage()).doesNotContain(name).hasSizeLessThan(300);
      });
      assertThat(target.id()).doesNotContain("\n").hasSizeLessThan(200);
    }
  }
}
