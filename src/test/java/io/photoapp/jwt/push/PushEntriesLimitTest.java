package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.Limits;
import io.photoapp.jwt.api.PushTarget;
import io.photoapp.jwt.api.StoreRef;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schema allows 8 entries in spec.push; on a cluster whose CRD has no schema a namespace user could
 * give thousands, each a store call on the operator's shared pool (4 threads, 1,024 waiting) and an
 * entry of status: the resolver states the limit again.
 */
class PushEntriesLimitTest {
  @Test
  void entriesBeyondTheSchemasLimitAreRefusedAndNeverBecomeStoreCalls() {
    var store = StoreFixtures.store("photoapp", "team-vault", "{vault: {address: 'https://vault.example.com',"
        + " pathPrefix: 'p/{namespace}', auth: {tokenSecretRef: {name: t, key: token}}}}");
    var js = StoreFixtures.jwtSecret("photoapp", "app", "[]");
    List<PushTarget> entries = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      entries.add(new PushTarget(new StoreRef("team-vault", null), "k" + i));
    }
    js.getSpec().push = entries;

    List<Target> targets = new StoreResolver(new StoreFixtures.Directory().with(store), false).resolve(js);

    assertThat(targets.stream().filter(t -> t.refusal().isEmpty())).hasSize(Limits.PUSH);
    assertThat(targets).hasSize(Limits.PUSH + 1);
    assertThat(targets.get(Limits.PUSH).refusal()).hasValueSatisfying(e -> {
      assertThat(e.reason()).isEqualTo(PushException.Reason.InvalidTarget);
      assertThat(e.getMessage()).isEqualTo("spec.push has 2000 entries, more than 8: those from spec.push[8] on are ignored");
    });
  }
}
