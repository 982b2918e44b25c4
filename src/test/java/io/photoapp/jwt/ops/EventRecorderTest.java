package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.MockApiServer.Keys;
import io.photoapp.jwt.testing.OperatorHarness;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Kubernetes Events on a JwtSecret, against the mock API server: one per reason, repeats aggregated. */
@MockApiServer(harness = Lifecycle.PER_CLASS, keys = Keys.NONE)
class EventRecorderTest {
  static OperatorHarness h;
  static int namespaces;
  String namespace;
  JwtSecret js;
  EventRecorder recorder;

  @BeforeAll
  static void server(OperatorHarness harness) {
    h = harness;
  }

  @BeforeEach
  void jwtSecret() {
    namespace = "events-" + namespaces++;
    h.namespace(namespace, Map.of());
    js = h.apply(JwtSecrets.named("photoapp-jwt").in(namespace).production());
    h.clock.set(OperatorHarness.START);
    recorder = new EventRecorder(h.client, h.clock);
  }

  static Stream<String> reasons() {
    return Arrays.stream(EventReasons.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(EventRecorderTest::value);
  }

  private static String value(Field f) {
    try {
      return (String) f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  List<Event> events() {
    return h.client.v1().events().inNamespace(namespace).list().getItems();
  }

  @Test
  void everyReasonOfTheDesignIsAnEventReason() {
    assertThat(reasons()).contains("Created", "Rotated", "EmergencyRotation", "RolloutStarted", "RolloutComplete",
        "RolloutTimeout", "PolicyViolation", "ExternalChange");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reasons")
  void eachReasonBecomesAnEventOnTheJwtSecret(String reason) {
    recorder.warning(js, reason, "something about key kid-1234");

    assertThat(events()).singleElement().satisfies(e -> {
      assertThat(e.getReason()).isEqualTo(reason);
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getMessage()).isEqualTo("something about key kid-1234");
      assertThat(e.getCount()).isEqualTo(1);
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("JwtSecret");
      assertThat(e.getInvolvedObject().getName()).isEqualTo("photoapp-jwt");
      assertThat(e.getInvolvedObject().getUid()).isEqualTo(js.getMetadata().getUid());
      assertThat(e.getSource().getComponent()).isEqualTo("jwt-secret-operator");
      assertThat(e.getFirstTimestamp()).isEqualTo(OperatorHarness.START.toString());
    });
  }

  @Test
  void theSameEventFiveTimesIsOneEventWithCountFive() {
    for (int i = 0; i < 5; i++) {
      recorder.normal(js, EventReasons.ROLLOUT_COMPLETE, "every target runs key set kid-1");
      h.clock.advance(Duration.ofSeconds(10));
    }

    assertThat(events()).singleElement().satisfies(e -> {
      assertThat(e.getCount()).isEqualTo(5);
      assertThat(e.getFirstTimestamp()).isEqualTo(OperatorHarness.START.toString());
      assertThat(e.getLastTimestamp()).isEqualTo(OperatorHarness.START.plusSeconds(40).toString());
    });
  }

  @Test
  void aDifferentMessageIsASecondEvent() {
    recorder.normal(js, EventReasons.ROTATED, "Key kid-2 replaced kid-1");
    recorder.normal(js, EventReasons.ROTATED, "Key kid-2 replaced kid-1");
    recorder.normal(js, EventReasons.ROTATED, "Key kid-3 replaced kid-2");

    assertThat(events()).extracting(Event::getMessage, Event::getCount).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("Key kid-2 replaced kid-1", 2),
        org.assertj.core.groups.Tuple.tuple("Key kid-3 replaced kid-2", 1));
  }

  @Test
  void aRestartedOperatorContinuesTheCount() {
    recorder.warning(js, EventReasons.POLICY_VIOLATION, "rotation-interval: paused");
    recorder.warning(js, EventReasons.POLICY_VIOLATION, "rotation-interval: paused");

    new EventRecorder(h.client, h.clock).warning(js, EventReasons.POLICY_VIOLATION, "rotation-interval: paused");

    assertThat(events()).singleElement().extracting(Event::getCount).isEqualTo(3);
  }

  @Test
  void anEventTheApiServerExpiredIsRecordedAfresh() {
    recorder.normal(js, EventReasons.CREATED, "Created key kid-1 in Secret photoapp-jwt");
    h.client.v1().events().inNamespace(namespace).delete();

    recorder.normal(js, EventReasons.CREATED, "Created key kid-1 in Secret photoapp-jwt");

    assertThat(events()).singleElement().extracting(Event::getCount).isEqualTo(1);
  }

  @Test
  void aLongMessageIsCutToWhatTheApiServerTakes() {
    recorder.normal(js, EventReasons.ROLLOUT_STARTED, "x".repeat(5000));

    assertThat(events()).singleElement().satisfies(e -> assertThat(e.getMessage()).hasSize(1024).endsWith("..."));
  }
}
