package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.ops.OperatorConfig;
import io.photoapp.jwt.ops.UnreadableObjects;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.testing.Endpoints;
import io.photoapp.jwt.testing.MockApiServer;
import io.photoapp.jwt.testing.OperatorHarness;
import io.photoapp.jwt.testing.PrometheusText;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * On a cluster whose CRD has no schema (the mock server applies none), JwtSecrets with wrong-typed
 * fields reach the operator. Exploit refused: before, one of them made the informer stop and the SDK
 * exit the process, so that no JwtSecret of the cluster was served (and the pod crash-looped). Now
 * each is reported on its own status as InvalidSpec naming the field, logged and counted, and every
 * other JwtSecret is served.
 */
@MockApiServer
class UnreadableJwtSecretTest {
  static final String NS = "tenant";
  OperatorHarness h;
  ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeEach
  void setUp(OperatorHarness harness) {
    ((Logger) LoggerFactory.getLogger(UnreadableObjects.class)).addAppender(log);
    log.start();
    h = harness;
    h.namespace(NS, Map.of());
  }

  @AfterEach
  void tearDown() {
    ((Logger) LoggerFactory.getLogger(UnreadableObjects.class)).detachAppender(log);
  }

  void createRaw(String name, String specJson) {
    GenericKubernetesResource r = Serialization.unmarshal("""
        {"apiVersion": "jwt.photoapp.io/v1alpha1", "kind": "JwtSecret",
         "metadata": {"name": "%s", "namespace": "%s"}, "spec": %s}
        """.formatted(name, NS, specJson), GenericKubernetesResource.class);
    h.client.genericKubernetesResources(JwtSecret.GROUP + "/" + JwtSecret.VERSION, "JwtSecret").inNamespace(NS)
        .resource(r).create();
  }

  Condition ready(String name) {
    JwtSecret js = h.get(NS, name);
    return js == null || js.getStatus() == null ? null
        : Conditions.find(js.getStatus().conditions, Conditions.READY).orElse(null);
  }

  double unreadableCount(String page) {
    return PrometheusText.value(page, "jwtsecret_unreadable_objects_total", Map.of("namespace", NS)).orElse(0);
  }

  @Test
  void wrongTypedFieldsAreReportedOnTheirOwnStatusCountedAndEveryOtherJwtSecretIsServed() {
    // One is there before the operator starts (its first list), the others come by the watch.
    createRaw("length-a-string", """
        {"environment": "production", "key": {"length": "sixty-four-characters"}}""");
    h.start(OperatorConfig.defaults().withMetricsPort(0));
    createRaw("adopt-a-string", """
        {"environment": "production", "secret": {"adopt": "yes-please"}}""");
    createRaw("targets-an-object", """
        {"environment": "production", "restart": {"targets": {}}}""");
    createRaw("fine", """
        {"environment": "production"}""");

    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      assertThat(ready("fine")).isNotNull().extracting(Condition::getStatus).isEqualTo("True");
      for (String bad : List.of("length-a-string", "adopt-a-string", "targets-an-object")) {
        assertThat(ready(bad)).as(bad).isNotNull().extracting(Condition::getReason).isEqualTo(Conditions.INVALID_SPEC);
      }
    });
    assertThat(ready("length-a-string").getMessage()).contains("spec.key.length is a string, not a whole number");
    assertThat(ready("adopt-a-string").getMessage()).contains("spec.secret.adopt is a string, not true or false");
    assertThat(ready("targets-an-object").getMessage()).contains("spec.restart.targets is an object, not a list");
    for (String bad : List.of("length-a-string", "adopt-a-string", "targets-an-object")) {
      assertThat(h.secret(NS, bad)).as("no key made for " + bad).isNull();
    }

    // The operator keeps running: healthy, informers synced, and the next JwtSecret is served too.
    int port = h.operator().healthPort();
    assertThat(Endpoints.get(port, "/healthz").status()).isEqualTo(200);
    assertThat(Endpoints.get(port, "/readyz").status()).isEqualTo(200);
    createRaw("fine-later", """
        {"environment": "production"}""");
    h.awaitStatus(NS, "fine-later", js -> js.getStatus().keyId != null);

    // Counted once each, however often reconciled.
    h.pokeAndAwaitReconcile(NS, "adopt-a-string");
    String page = Endpoints.get(port, "/metrics").body();
    assertThat(unreadableCount(page)).isEqualTo(3.0);

    // One log line each, naming the object and the field, never the value.
    List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).hasSize(3)
        .anySatisfy(l -> assertThat(l).contains(NS + "/length-a-string").contains("spec.key.length"))
        .anySatisfy(l -> assertThat(l).contains(NS + "/adopt-a-string").contains("spec.secret.adopt"))
        .anySatisfy(l -> assertThat(l).contains(NS + "/targets-an-object").contains("spec.restart.targets"))
        .allSatisfy(l -> assertThat(l).doesNotContain("sixty-four").doesNotContain("yes-please"));
  }

  @Test
  void aFixedJwtSecretIsServedOnceItsFieldReads() {
    h.start();
    createRaw("length-a-string", """
        {"environment": "production", "key": {"length": "sixty-four"}}""");
    await().atMost(Duration.ofSeconds(30)).until(() -> ready("length-a-string") != null);
    h.edit(NS, "length-a-string", js -> {
      js.getSpec().key.length = 64;
      return js;
    });
    JwtSecret served = h.awaitStatus(NS, "length-a-string", js -> js.getStatus().keyId != null);
    assertThat(Conditions.isTrue(served.getStatus().conditions, Conditions.READY)).isTrue();
  }
}
