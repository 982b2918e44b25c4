package io.photoapp.jwt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A JwtSecret whose spec or status holds a field of the wrong type (a cluster without the CRD's
 * schema) still reads: the field reads as absent, the rest as written, and the JwtSecret names the
 * field. Reading it strictly failed the whole object, and with it the informer's list or watch.
 */
class TolerantFieldTest {
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  static JwtSecret read(String spec, String status) {
    return SERIALIZATION.unmarshal("""
        {"apiVersion": "jwt.photoapp.io/v1alpha1", "kind": "JwtSecret", "metadata": {"name": "k", "namespace": "ns"},
         "spec": %s%s}""".formatted(spec, status == null ? "" : ", \"status\": " + status), JwtSecret.class);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        argumentSet("a length in words", """
            {"environment": "production", "key": {"length": "sixty-four", "encoding": "hex"}}""",
            "spec.key.length is a string, not a whole number"),
        argumentSet("a length too large for any integer", """
            {"environment": "production", "key": {"length": 99999999999999999999999, "encoding": "hex"}}""",
            "spec.key.length"),
        argumentSet("adopt: yes", """
            {"environment": "production", "secret": {"adopt": "yes", "name": "s"}}""",
            "spec.secret.adopt is a string, not true or false"),
        argumentSet("targets an object", """
            {"environment": "production", "restart": {"targets": {}}}""",
            "spec.restart.targets is an object, not a list"),
        argumentSet("a target a string", """
            {"environment": "production", "restart": {"targets": ["Deployment/x", {"kind": "Deployment", "name": "y"}]}}""",
            "spec.restart.targets[0] is a string, not an object"),
        argumentSet("a label value an object", """
            {"environment": "production", "restart": {"targets": [{"kind": "Deployment", "selector": {"matchLabels": {"app": {}}}}]}}""",
            "spec.restart.targets[0].selector.matchLabels.app is an object, not a string"),
        argumentSet("a selector value a list", """
            {"environment": "production", "restart": {"targets": [{"kind": "Deployment", "selector":
              {"matchExpressions": [{"key": "a", "operator": "In", "values": ["x", ["y"]]}]}}]}}""",
            "spec.restart.targets[0].selector.matchExpressions[0].values[1] is a list, not a string"),
        argumentSet("a rotation a number", """
            {"environment": "production", "rotation": 5}""",
            "spec.rotation is a whole number, not an object"),
        argumentSet("an unknown strategy", """
            {"environment": "production", "rotation": {"strategy": "Sideways"}}""",
            "spec.rotation.strategy \"Sideways\" is not one of Staged, Direct"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void theFieldReadsAsAbsentAndIsNamedTheRestReads(String spec, String problem) {
    JwtSecret js = read(spec, null);
    assertThat(js.getSpec()).isNotNull();
    assertThat(js.getSpec().environment).isEqualTo(Environment.PRODUCTION);
    assertThat(js.unrecognizedValues()).singleElement().asString().startsWith(problem);
  }

  @Test
  void neighboursOfAnUnreadableFieldKeepTheirValuesAndBadElementsAreDropped() {
    JwtSecret js = read("""
        {"environment": "production", "key": {"length": "x", "encoding": "hex"}, "secret": {"adopt": "yes", "name": "s"},
         "restart": {"targets": ["Deployment/x", {"kind": "Deployment", "name": "y"}]}}""", null);
    assertThat(js.getSpec().key.encoding).isEqualTo(Encoding.HEX);
    assertThat(js.getSpec().secret.name).isEqualTo("s");
    assertThat(js.getSpec().restart.targets).singleElement().satisfies(t -> assertThat(t.name).isEqualTo("y"));
    assertThat(js.unrecognizedValues()).hasSize(3);
  }

  @Test
  void aSpecThatIsNoObjectReadsAsNoSpecAndIsNamed() {
    JwtSecret js = read("\"production\"", null);
    assertThat(js.getSpec()).isNull();
    assertThat(js.unrecognizedValues()).containsExactly("spec is a string, not an object");
  }

  @Test
  void anUnreadableStatusFieldIsNotedButIsNoSpecProblem() {
    JwtSecret js = read("{\"environment\": \"production\"}", "{\"phase\": \"Dancing\", \"rotationCount\": \"many\", \"keyId\": \"abc\"}");
    assertThat(js.getStatus().keyId).isEqualTo("abc");
    assertThat(js.getStatus().phase).isNull();
    assertThat(js.unrecognizedValues()).isEmpty();
    assertThat(js.unreadableFields()).extracting(UnreadableField::path).containsExactly("status.phase", "status.rotationCount");
  }

  @Test
  void aWellFormedJwtSecretHasNothingToNote() {
    JwtSecret js = read("""
        {"environment": "test", "key": {"length": 64}, "restart": {"targets": [{"kind": "Deployment", "name": "y"}]}}""",
        "{\"phase\": \"Idle\"}");
    assertThat(js.unreadableFields()).isEmpty();
    assertThat(List.of(js.getSpec().key.length, js.getStatus().phase)).containsExactly(64, Phase.Idle);
  }
}
