package io.photoapp.jwt.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretSpec;
import io.photoapp.jwt.api.SecretSpec;
import io.photoapp.jwt.secret.OwnershipVerdict.Standing;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whether a JwtSecret may write the Secret or ConfigMap it finds, and as what: the owned-object writer's verdicts. */
class OwnershipVerdictTest {
  static final String UID = SuccessionTest.NEW_UID;
  static final String FORMER_UID = SuccessionTest.OLD_UID;

  static JwtSecret app(boolean adopt) {
    JwtSecret js = SuccessionTest.jwtSecret("ns", "app", UID);
    js.setSpec(new JwtSecretSpec());
    js.getSpec().environment = Environment.PRODUCTION;
    js.getSpec().secret = new SecretSpec();
    js.getSpec().secret.name = "app";
    js.getSpec().secret.adopt = adopt;
    return js;
  }

  static EffectiveSpec spec(JwtSecret js) {
    return SpecResolver.resolve(js).spec();
  }

  static HasMetadata managedFor(String uid) {
    return SuccessionTest.managed(b -> b.editMetadata().addToAnnotations("jwt.photoapp.io/owner-uid", uid).endMetadata());
  }

  static HasMetadata plain() {
    return new SecretBuilder().withNewMetadata().withName("app").withNamespace("ns").endMetadata().withType("Opaque")
        .addToData("jwt-secret-key", "c2VjcmV0").build();
  }

  static ConfigMap plainConfigMap() {
    return new ConfigMapBuilder().withNewMetadata().withName("app-jwks").withNamespace("ns").endMetadata()
        .addToData("jwks.json", "{\"keys\":[]}").build();
  }

  static Stream<Arguments> verdicts() {
    return Stream.of(
        Arguments.of("its own Secret", managedFor(UID), false, false, Standing.OURS, true),
        Arguments.of("a former uid's Secret, that JwtSecret gone (a restore)", managedFor(FORMER_UID), false, false,
            Standing.RESTORABLE, true),
        Arguments.of("a former uid's Secret whose JwtSecret lives", managedFor(FORMER_UID), false, true, Standing.CONFLICT, false),
        Arguments.of("a plain Secret without adopt", plain(), false, false, Standing.CONFLICT, false),
        Arguments.of("a plain Secret with adopt", plain(), true, false, Standing.ADOPTABLE, true),
        Arguments.of("a TLS Secret with adopt", new SecretBuilder((io.fabric8.kubernetes.api.model.Secret) plain())
            .withType("kubernetes.io/tls").build(), true, false, Standing.REFUSED, false),
        Arguments.of("another tool's Secret with adopt", new SecretBuilder((io.fabric8.kubernetes.api.model.Secret) plain())
            .editMetadata().addToLabels("app.kubernetes.io/managed-by", "Helm").endMetadata().build(), true, false,
            Standing.REFUSED, false),
        Arguments.of("a plain ConfigMap without adopt", plainConfigMap(), false, false, Standing.CONFLICT, false),
        Arguments.of("a plain ConfigMap with adopt", plainConfigMap(), true, false, Standing.ADOPTABLE, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verdicts")
  void verdict(String name, HasMetadata found, boolean adopt, boolean formerOwnerLive, Standing standing, boolean writable) {
    JwtSecret js = app(adopt);
    OwnershipVerdict verdict = OwnershipVerdict.of(found, js, spec(js), () -> formerOwnerLive);
    assertThat(verdict.standing()).isEqualTo(standing);
    assertThat(verdict.writable()).isEqualTo(writable);
    assertThat(verdict.message() != null).as("a refused write says why").isEqualTo(!writable);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verdicts")
  void aRefusalNamesTheObjectOrTheRuleAndNoValue(String name, HasMetadata found, boolean adopt, boolean formerOwnerLive,
      Standing standing, boolean writable) {
    JwtSecret js = app(adopt);
    String message = OwnershipVerdict.of(found, js, spec(js), () -> formerOwnerLive).message();
    if (message != null) {
      assertThat(message).doesNotContain("c2VjcmV0").doesNotContain("secret\u0000");
      assertThat(message).containsAnyOf(found.getMetadata().getName(), "rule");
    }
  }
}
