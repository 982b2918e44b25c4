package io.photoapp.jwt.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.secret.Succession.FormerOwner;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Restore, release and the namespace boundary of owner annotations, decided without an API server. */
class SuccessionTest {
  static final String OLD_UID = "11111111-0000-4000-8000-000000000001";
  static final String NEW_UID = "22222222-0000-4000-8000-000000000002";
  static final Set<String> KEYS = AdoptionRules.secretDataKeys("jwt-secret-key", "jwt-secret-key-previous",
      "jwt-secret-key-next");

  static JwtSecret jwtSecret(String ns, String name, String uid) {
    JwtSecret js = new JwtSecret();
    js.setMetadata(new ObjectMetaBuilder().withNamespace(ns).withName(name).withUid(uid).build());
    return js;
  }

  /** A Secret as the operator leaves it for ns/app with uid OLD_UID. */
  static Secret managed(UnaryOperator<SecretBuilder> customize) {
    return customize.apply(new SecretBuilder().withNewMetadata().withName("app").withNamespace("ns")
        .addToLabels("jwt.photoapp.io/managed", "true")
        .addToAnnotations("jwt.photoapp.io/owner", "ns/app")
        .addToAnnotations("jwt.photoapp.io/owner-uid", OLD_UID)
        .addToAnnotations("jwt.photoapp.io/data-keys", "jwt-secret-key,jwt-secret-key-previous,jwt-secret-key-next")
        .endMetadata().withType("Opaque").addToData("jwt-secret-key", "c2VjcmV0").addToData("jwt-algorithm", "SFMyNTY=")).build();
  }

  static Stream<Arguments> claims() {
    JwtSecret restored = jwtSecret("ns", "app", NEW_UID);
    return Stream.of(
        Arguments.of("restored with a new uid", managed(b -> b), restored, false, "Restore"),
        Arguments.of("the former owner still lives", managed(b -> b), restored, true, "Conflict"),
        Arguments.of("names another JwtSecret", managed(b -> b), jwtSecret("ns", "other", NEW_UID), false, "Conflict"),
        Arguments.of("names the same name in another namespace", managed(b -> b), jwtSecret("ns2", "app", NEW_UID), false,
            "Conflict"),
        Arguments.of("no owner uid", managed(b -> b.editMetadata().removeFromAnnotations("jwt.photoapp.io/owner-uid")
            .endMetadata()), restored, false, "Conflict"),
        Arguments.of("a TLS Secret with forged marks", managed(b -> b.withType("kubernetes.io/tls")), restored, false,
            "Refused"),
        Arguments.of("forged marks on a Secret with other data", managed(b -> b.addToData("tls.key", "eA==")), restored,
            false, "Refused"),
        Arguments.of("a Delete Secret referencing its former owner", managed(b -> b.editMetadata().addNewOwnerReference()
            .withApiVersion("jwt.photoapp.io/v1alpha1").withKind("JwtSecret").withName("app").withUid(OLD_UID)
            .endOwnerReference().endMetadata()), restored, false, "Restore"),
        Arguments.of("a Helm-labelled Secret with forged marks", managed(b -> b.editMetadata()
            .addToLabels("helm.sh/chart", "web").endMetadata()), restored, false, "Refused"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("claims")
  void claim(String name, Secret secret, JwtSecret claimant, boolean formerLive, String verdict) {
    Succession.Claim claim = Succession.claim(secret, claimant, formerLive, KEYS);
    assertThat(claim.getClass().getSimpleName()).isEqualTo(verdict);
    if (claim instanceof Succession.Restore r) {
      assertThat(r.formerUid()).isEqualTo(OLD_UID);
    }
  }

  static Stream<Arguments> deletions() {
    JwtSecret owner = jwtSecret("ns", "app", OLD_UID);
    return Stream.of(
        Arguments.of("Retain: released", managed(b -> b), owner, false, true),
        Arguments.of("a JwtSecret of the same name takes over", managed(b -> b), owner, true, false),
        Arguments.of("Delete: left to the garbage collector", managed(b -> b.editMetadata().addNewOwnerReference()
            .withKind("JwtSecret").withName("app").withUid(OLD_UID).endOwnerReference().endMetadata()), owner, false, false),
        Arguments.of("another JwtSecret's", managed(b -> b), jwtSecret("ns", "app", NEW_UID), false, false),
        Arguments.of("not labelled", managed(b -> b.editMetadata().withLabels(null).endMetadata()), owner, false, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("deletions")
  void releaseOnOwnerDeleted(String name, Secret secret, JwtSecret deleted, boolean sameNameLive, boolean release) {
    assertThat(Succession.releaseOnOwnerDeleted(secret, deleted, sameNameLive)).isEqualTo(release);
  }

  static Stream<Arguments> orphans() {
    return Stream.of(
        Arguments.of("owner gone", managed(b -> b), FormerOwner.GONE, true),
        Arguments.of("owner live", managed(b -> b), FormerOwner.LIVE, false),
        Arguments.of("replaced by a JwtSecret of the same name (a restore)", managed(b -> b), FormerOwner.REPLACED, false),
        Arguments.of("an ownerReference: the garbage collector's", managed(b -> b.editMetadata().addNewOwnerReference()
            .withKind("JwtSecret").withName("app").withUid(OLD_UID).endOwnerReference().endMetadata()),
            FormerOwner.GONE, false),
        Arguments.of("owner named in another namespace", managed(b -> b.editMetadata()
            .addToAnnotations("jwt.photoapp.io/owner", "other/app").endMetadata()), FormerOwner.GONE, false),
        Arguments.of("forged marks on a TLS Secret", managed(b -> b.withType("kubernetes.io/tls")), FormerOwner.GONE, false),
        Arguments.of("forged marks on a Secret with other data", managed(b -> b.addToData("DATABASE_URL", "eA==")),
            FormerOwner.GONE, false),
        Arguments.of("forged marks on a cert-manager Secret", managed(b -> b.editMetadata()
            .addToAnnotations("cert-manager.io/issuer-name", "ca").endMetadata()), FormerOwner.GONE, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("orphans")
  void releaseOrphan(String name, Secret secret, FormerOwner former, boolean release) {
    assertThat(Succession.releaseOrphan(secret, former)).isEqualTo(release);
  }

  @ParameterizedTest(name = "owner annotation {0} on an object in ns")
  @CsvSource(nullValues = "null", value = {
      "ns/app, app",
      "other-ns/app, null",
      "app, null",
      "ns/, null",
      "ns/a/b, null",
      "null, null"})
  void anOwnerAnnotationCountsOnlyInTheObjectsOwnNamespace(String annotation, String expected) {
    assertThat(Succession.ownerIn(annotation, "ns")).isEqualTo(Optional.ofNullable(expected));
  }

  @Test
  void theNextKeyIsReleasedUnderTheNameRecordedOnTheSecret() {
    Secret recorded = managed(b -> b.editMetadata().addToAnnotations("jwt.photoapp.io/data-keys", "k,p,upcoming").endMetadata());
    assertThat(Succession.recordedNextKey(recorded, "spec-next")).isEqualTo("upcoming");
    Secret unrecorded = managed(b -> b.editMetadata().removeFromAnnotations("jwt.photoapp.io/data-keys").endMetadata());
    assertThat(Succession.recordedNextKey(unrecorded, "spec-next")).isEqualTo("spec-next");
    assertThat(Succession.recordedNextKey(unrecorded, null)).isEqualTo("jwt-secret-key-next");
  }
}
