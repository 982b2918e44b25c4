package io.photoapp.jwt.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which Secrets and ConfigMaps adoption may take over: one rule per case, named in the refusal. */
class AdoptionRulesTest {
  static final Set<String> KEYS = AdoptionRules.secretDataKeys("jwt-secret-key", "jwt-secret-key-previous",
      "jwt-secret-key-next");
  static final String FORMER_UID = "0b5e6f2a-0000-4000-8000-000000000001";

  static Secret secret(UnaryOperator<SecretBuilder> customize) {
    return customize.apply(new SecretBuilder().withNewMetadata().withName("app").withNamespace("ns").endMetadata()
        .withType("Opaque").addToData("jwt-secret-key", "c2VjcmV0")).build();
  }

  static Stream<Arguments> secrets() {
    return Stream.of(
        Arguments.of("a plain Opaque Secret with the key", secret(b -> b), null),
        Arguments.of("no type given (the API's default is Opaque)", secret(b -> b.withType(null)), null),
        Arguments.of("every output of the operator", secret(b -> b.addToData("jwt-algorithm", "x")
            .addToData("jwt-access-token-expire-minutes", "x").addToData("jwks-secret.json", "x")
            .addToData("private.jwk.json", "x").addToData("private.pem", "x").addToData("public.pem", "x")
            .addToData("jwt-secret-key-previous", "x").addToData("jwt-secret-key-next", "x")), null),
        Arguments.of("immutable", secret(b -> b.withImmutable(true)), AdoptionRules.RULE_IMMUTABLE),
        Arguments.of("kubernetes.io/tls", secret(b -> b.withType("kubernetes.io/tls")), AdoptionRules.RULE_TYPE),
        Arguments.of("service-account token", secret(b -> b.withType("kubernetes.io/service-account-token")),
            AdoptionRules.RULE_TYPE),
        Arguments.of("an ownerReference that is not a controller", secret(b -> b.editMetadata().addNewOwnerReference()
            .withKind("ConfigMap").withName("x").withUid("u1").endOwnerReference().endMetadata()),
            AdoptionRules.RULE_OWNER_REFERENCES),
        Arguments.of("a cert-manager annotation", secret(b -> b.editMetadata()
            .addToAnnotations("cert-manager.io/certificate-name", "web").endMetadata()), AdoptionRules.RULE_OTHER_MANAGER),
        Arguments.of("a cert-manager sub-domain label", secret(b -> b.editMetadata()
            .addToLabels("controller.cert-manager.io/fao", "true").endMetadata()), AdoptionRules.RULE_OTHER_MANAGER),
        Arguments.of("a Helm release", secret(b -> b.editMetadata().addToLabels("app.kubernetes.io/managed-by", "Helm")
            .addToAnnotations("meta.helm.sh/release-name", "web").endMetadata()), AdoptionRules.RULE_OTHER_MANAGER),
        Arguments.of("a helm.sh label", secret(b -> b.editMetadata().addToLabels("helm.sh/chart", "web-1").endMetadata()),
            AdoptionRules.RULE_OTHER_MANAGER),
        Arguments.of("managed by this operator", secret(b -> b.editMetadata()
            .addToLabels("app.kubernetes.io/managed-by", "jwt-secret-operator").endMetadata()), null),
        Arguments.of("a service account's", secret(b -> b.editMetadata()
            .addToAnnotations("kubernetes.io/service-account.name", "default").endMetadata()), AdoptionRules.RULE_OTHER_MANAGER),
        Arguments.of("External Secrets", secret(b -> b.editMetadata()
            .addToAnnotations("reconcile.external-secrets.io/data-hash", "x").endMetadata()), AdoptionRules.RULE_OTHER_MANAGER),
        Arguments.of("Vault Secrets Operator", secret(b -> b.editMetadata()
            .addToLabels("secrets.hashicorp.com/vso-ownerRefUID", "x").endMetadata()), AdoptionRules.RULE_OTHER_MANAGER),
        Arguments.of("a look-alike domain is not a mark", secret(b -> b.editMetadata()
            .addToLabels("notcert-manager.io/x", "y").endMetadata()), null),
        Arguments.of("another data key", secret(b -> b.addToData("DATABASE_URL", "x")), AdoptionRules.RULE_DATA_KEYS),
        Arguments.of("another key in stringData", secret(b -> b.addToStringData("tls.key", "x")), AdoptionRules.RULE_DATA_KEYS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("secrets")
  void secretAdoption(String name, Secret secret, String brokenRule) {
    Optional<AdoptionRules.Refusal> refusal = AdoptionRules.check(secret, KEYS, null);
    assertThat(refusal.map(AdoptionRules.Refusal::rule).orElse(null)).isEqualTo(brokenRule);
    refusal.ifPresent(r -> assertThat(r.message()).contains(brokenRule).contains("Secret app"));
  }

  @Test
  void theMessageListsTheOtherDataKeysByNameAndNoValue() {
    Secret s = secret(b -> b.addToData("DATABASE_URL", "cG9zdGdyZXM6Ly9zZWNyZXQ=").addToData("tls.key", "a2V5"));
    String message = AdoptionRules.check(s, KEYS, null).orElseThrow().message();
    assertThat(message).contains("DATABASE_URL, tls.key").doesNotContain("cG9zdGdyZXM6Ly9zZWNyZXQ=")
        .doesNotContain("jwt-secret-key");
  }

  /**
   * The message goes into status (no schema bound) and Events: a Secret of 4,000 data keys of 200
   * characters (800 KB of names, within the API server's 1 MiB) must not make a JwtSecret's status that
   * large, nor an object over etcd's 1.5 MB that fails every status write.
   */
  @Test
  void theMessageListsAtMostTwentyOtherDataKeysOwnersOrMarksAndCountsTheRest() {
    Secret many = secret(b -> {
      for (int i = 0; i < 4000; i++) {
        b.addToData(String.format("%04d", i) + "x".repeat(196), "");
      }
      return b;
    });
    String message = AdoptionRules.check(many, KEYS, null).orElseThrow().message();
    assertThat(message).contains(AdoptionRules.RULE_DATA_KEYS).contains("0000xxx").contains("0019xxx")
        .doesNotContain("0020xxx").contains("and 3980 more");
    assertThat(message.length()).isLessThan(6000);
    Secret owned = secret(b -> {
      for (int i = 0; i < 500; i++) {
        b.editMetadata().addNewOwnerReference().withKind("Thing").withName("owner-" + i + "y".repeat(200))
            .withUid("u" + i).endOwnerReference().endMetadata();
      }
      return b;
    });
    assertThat(AdoptionRules.check(owned, KEYS, null).orElseThrow().message()).contains("and 480 more").hasSizeLessThan(6000);
    Secret typed = secret(b -> b.withType("example.com/" + "t".repeat(5000)));
    assertThat(AdoptionRules.check(typed, KEYS, null).orElseThrow().message()).hasSizeLessThan(6000);
  }

  @Test
  void theMessageNamesAnotherManagersMarkButNotItsValue() {
    Secret s = secret(b -> b.editMetadata().addToLabels("app.kubernetes.io/managed-by", "Helm").endMetadata());
    assertThat(AdoptionRules.check(s, KEYS, null).orElseThrow().message())
        .contains("label app.kubernetes.io/managed-by").doesNotContain("Helm");
  }

  @Test
  void onARestoreOnlyAReferenceToTheFormerOwnerIsAllowed() {
    Secret former = secret(b -> b.editMetadata().addNewOwnerReference().withApiVersion("jwt.photoapp.io/v1alpha1")
        .withKind("JwtSecret").withName("app").withUid(FORMER_UID).withController(true).endOwnerReference().endMetadata());
    assertThat(AdoptionRules.check(former, KEYS, FORMER_UID)).isEmpty();
    assertThat(AdoptionRules.check(former, KEYS, null)).map(AdoptionRules.Refusal::rule)
        .contains(AdoptionRules.RULE_OWNER_REFERENCES);
    Secret other = secret(b -> b.editMetadata().addNewOwnerReference().withKind("Certificate").withName("web")
        .withUid(FORMER_UID).endOwnerReference().endMetadata());
    assertThat(AdoptionRules.check(other, KEYS, FORMER_UID)).map(AdoptionRules.Refusal::rule)
        .contains(AdoptionRules.RULE_OWNER_REFERENCES);
  }

  static Stream<Arguments> configMaps() {
    UnaryOperator<ConfigMapBuilder> plain = b -> b;
    return Stream.of(
        Arguments.of("only the public keys", plain, null),
        Arguments.of("other data", (UnaryOperator<ConfigMapBuilder>) b -> b.addToData("settings.yaml", "x"),
            AdoptionRules.RULE_DATA_KEYS),
        Arguments.of("binary data", (UnaryOperator<ConfigMapBuilder>) b -> b.addToBinaryData("blob", "eA=="),
            AdoptionRules.RULE_DATA_KEYS),
        Arguments.of("immutable", (UnaryOperator<ConfigMapBuilder>) b -> b.withImmutable(true), AdoptionRules.RULE_IMMUTABLE),
        Arguments.of("a Helm release", (UnaryOperator<ConfigMapBuilder>) b -> b.editMetadata()
            .addToAnnotations("meta.helm.sh/release-name", "x").endMetadata(), AdoptionRules.RULE_OTHER_MANAGER));
  }

  @ParameterizedTest(name = "ConfigMap: {0}")
  @MethodSource("configMaps")
  void configMapAdoption(String name, UnaryOperator<ConfigMapBuilder> customize, String brokenRule) {
    ConfigMap map = customize.apply(new ConfigMapBuilder().withNewMetadata().withName("app-jwks").endMetadata()
        .addToData("jwks.json", "{\"keys\":[]}")).build();
    HasMetadata object = map;
    assertThat(AdoptionRules.check(object, AdoptionRules.configMapDataKeys(), null).map(AdoptionRules.Refusal::rule)
        .orElse(null)).isEqualTo(brokenRule);
  }
}
