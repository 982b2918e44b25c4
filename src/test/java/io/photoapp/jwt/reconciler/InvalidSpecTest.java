package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.status.Conditions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the CRD schema cannot refuse, the operator reports: Ready=False InvalidSpec with a message a
 * person can act on, a Warning event, nothing written, and its neighbours still served.
 */
class InvalidSpecTest extends OperatorScenario {

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        Arguments.of("a cron expression out of range", """
            rotation: {schedule: "61 3 * * *"}
            """, "schedule \"61 3 * * *\" is not a valid cron expression"),
        Arguments.of("a schedule that is neither cron nor @every", """
            rotation: {schedule: "every tuesday"}
            """, "neither a 5-field cron expression nor \"@every <duration>\""),
        Arguments.of("an @every without a duration", """
            rotation: {schedule: "@every 3 days"}
            """, "spec.rotation"),
        Arguments.of("an unknown time zone", """
            rotation: {schedule: "0 3 1 * *", timeZone: "Mars/Olympus_Mons"}
            """, "time zone \"Mars/Olympus_Mons\" is not an IANA time zone"),
        Arguments.of("a target with both name and selector", """
            restart:
                targets:
                  - kind: Deployment
                    name: photoapp-backend
                    selector: {matchLabels: {app: photoapp}}
            """, "spec.restart.targets[0] needs exactly one of name or selector"),
        Arguments.of("the same data key twice", """
            secret: {key: jwt-secret-key, previousKey: jwt-secret-key}
            """, "must be three different data keys"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  void anInvalidSpecIsReportedAndNothingIsWritten(String what, String specPart, String message) {
    apply("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata: {name: broken, namespace: ${ns}}
        spec:
          environment: production
          %s
        """.formatted(specPart.strip().replace("\n", "\n  ")));
    apply(JwtSecrets.named("fine").production());
    JwtSecret broken = awaitCondition("broken", Conditions.READY, "False", Conditions.INVALID_SPEC);
    assertThat(conditionOf(broken, Conditions.READY).getMessage()).contains(message);
    assertThat(conditionOf(broken, Conditions.POLICY_COMPLIANT).getReason()).isEqualTo(Conditions.INVALID_SPEC);
    assertStandardShape(broken);
    assertThat(broken.getStatus().keyId).isNull();
    assertThat(events("broken", "Warning", "InvalidSpec")).singleElement()
        .satisfies(e -> assertThat(e.getMessage()).contains(message));

    JwtSecret fine = awaitCondition("fine", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(secret("fine")).isNotNull();
    assertThat(fine.getStatus().keyId).isNotNull();

    h.pokeAndAwaitReconcile(ns, "broken");
    assertThat(secret("broken")).as("nothing written for the invalid spec").isNull();
  }

  @Test
  void aRequestAnnotationThatIsNoTimeIsReported() {
    apply(JwtSecrets.named("app").annotate("jwt.photoapp.io/rotate-after", "tomorrow").production());
    JwtSecret js = awaitCondition("app", Conditions.READY, "False", Conditions.INVALID_SPEC);
    assertThat(conditionOf(js, Conditions.READY).getMessage())
        .contains("annotation jwt.photoapp.io/rotate-after \"tomorrow\" is not an RFC 3339 time");
    assertThat(secret("app")).isNull();
  }

  @Test
  void aSpecMadeInvalidLaterKeepsTheKeyAndRecoversWhenFixed() {
    apply(JwtSecrets.named("app").production());
    JwtSecret before = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    Secret secretBefore = secret("app");
    h.edit(ns, "app", r -> {
      r.getSpec().rotation = new io.photoapp.jwt.api.RotationSpec();
      r.getSpec().rotation.schedule = "0 25 * * *";
      return r;
    });
    JwtSecret invalid = awaitCondition("app", Conditions.READY, "False", Conditions.INVALID_SPEC);
    assertThat(invalid.getStatus().observedGeneration).isEqualTo(invalid.getMetadata().getGeneration());
    assertThat(invalid.getStatus().keyId).as("the key facts stay as last reported").isEqualTo(before.getStatus().keyId);
    h.pokeAndAwaitReconcile(ns, "app");
    assertThat(secret("app")).isEqualTo(secretBefore);

    h.edit(ns, "app", r -> {
      r.getSpec().rotation.schedule = "0 3 1 */2 *";
      return r;
    });
    JwtSecret fixed = awaitCondition("app", Conditions.READY, "True", Conditions.SECRET_READY);
    assertThat(fixed.getStatus().keyId).isEqualTo(before.getStatus().keyId);
    assertThat(fixed.getStatus().nextRotationTime).isEqualTo("2027-01-01T03:00:00Z");
    assertThat(secret("app").getData()).isEqualTo(secretBefore.getData());
  }
}
