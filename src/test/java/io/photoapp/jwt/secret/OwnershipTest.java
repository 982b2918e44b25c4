package io.photoapp.jwt.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.Secrets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whose a Secret is: the operator treats a Secret as its own only when the label, the owner and the
 * owner's uid all name this JwtSecret, so copying marks onto another Secret hands nothing over; and
 * which foreign Secrets it may adopt.
 */
class OwnershipTest {
  static final String UID = "7d1f1b7e-0000-4000-8000-000000000001";
  static final JwtSecret APP = JwtSecrets.named("app").in("photoapp").uid(UID).production().build();
  static final EffectiveSpec SPEC = SpecResolver.resolve(APP).spec();

  /** A Secret named app in photoapp with the operator's marks as given (null: left out). */
  static Secrets marked(String label, String owner, String ownerUid) {
    Secrets s = Secrets.named("app").in("photoapp").opaque().data("jwt-secret-key", "k".repeat(64));
    if (label != null) {
      s.label(Labels.MANAGED, label);
    }
    if (owner != null) {
      s.annotate(Labels.OWNER, owner);
    }
    if (ownerUid != null) {
      s.annotate(Labels.OWNER_UID, ownerUid);
    }
    return s;
  }

  static Stream<Arguments> secrets() {
    return Stream.of(
        argumentSet("label, owner and uid of this JwtSecret", marked("true", "photoapp/app", UID), Ownership.OURS),
        argumentSet("no marks: someone else's", marked(null, null, null), Ownership.FOREIGN),
        argumentSet("the label alone", marked("true", null, null), Ownership.FOREIGN),
        argumentSet("owner and uid without the label", marked(null, "photoapp/app", UID), Ownership.FOREIGN),
        argumentSet("the label set to false", marked("false", "photoapp/app", UID), Ownership.FOREIGN),
        argumentSet("another JwtSecret's marks", marked("true", "photoapp/other", "uid-of-other"), Ownership.OTHER_JWTSECRET),
        argumentSet("this name with another uid (a copy, or a restore)", marked("true", "photoapp/app", "uid-of-before"),
            Ownership.OTHER_JWTSECRET),
        argumentSet("this uid under another name", marked("true", "photoapp/other", UID), Ownership.OTHER_JWTSECRET),
        argumentSet("the same name in another namespace", marked("true", "elsewhere/app", UID), Ownership.OTHER_JWTSECRET),
        argumentSet("a blank uid", marked("true", "photoapp/app", " "), Ownership.FOREIGN));
  }

  @ParameterizedTest
  @MethodSource("secrets")
  void ownershipNeedsTheLabelTheOwnerAndItsUid(Secrets secret, Ownership expected) {
    assertThat(Ownership.of(secret.build(), APP)).isEqualTo(expected);
  }

  static Stream<Arguments> adoptions() {
    return Stream.of(
        argumentSet("an Opaque Secret with the key alone", Secrets.named("app").opaque().data("jwt-secret-key", "x").build(),
            null),
        argumentSet("the operator's own outputs too", Secrets.named("app").opaque().data("jwt-secret-key", "x")
            .data("jwt-algorithm", "HS256").data("jwt-access-token-expire-minutes", "15").build(), null),
        argumentSet("immutable", Secrets.named("app").opaque().data("jwt-secret-key", "x").immutable().build(),
            "not-immutable"),
        argumentSet("a TLS Secret", Secrets.named("app").type("kubernetes.io/tls").data("tls.key", "x").build(),
            "type-opaque"),
        argumentSet("controlled by something else", Secrets.named("app").opaque().data("jwt-secret-key", "x")
            .controlledBy("bitnami.com/v1alpha1", "SealedSecret", "app", "u").build(), "no-owner-references"),
        argumentSet("Helm's", Secrets.named("app").opaque().data("jwt-secret-key", "x")
            .label("app.kubernetes.io/managed-by", "Helm").build(), "no-other-manager"),
        argumentSet("holding other data", Secrets.named("app").opaque().data("jwt-secret-key", "x")
            .data("DATABASE_URL", "postgres://db").build(), "only-jwt-data-keys"),
        argumentSet("a ConfigMap with the public keys alone", new ConfigMapBuilder().withNewMetadata().withName("app-jwks")
            .endMetadata().addToData("jwks.json", "{\"keys\":[]}").build(), null),
        argumentSet("a ConfigMap with other data", new ConfigMapBuilder().withNewMetadata().withName("app-jwks")
            .endMetadata().addToData("jwks.json", "{}").addToData("settings.yaml", "a: b").build(), "only-jwt-data-keys"));
  }

  @ParameterizedTest
  @MethodSource("adoptions")
  void aForeignObjectIsAdoptedOnlyWhenNothingElseClaimsIt(HasMetadata object, String brokenRule) {
    String refusal = Ownership.adoptionRefusal(object, SPEC);
    if (brokenRule == null) {
      assertThat(refusal).isNull();
    } else {
      assertThat(refusal).contains(brokenRule).doesNotContain("postgres://db");
    }
  }
}
