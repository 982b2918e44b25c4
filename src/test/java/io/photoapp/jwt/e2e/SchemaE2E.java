package io.photoapp.jwt.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CRD's schema, enforced by the real API server, refuses malformed JwtSecrets with kubectl's own error. */
@ExtendWith(ClusterExtension.class)
class SchemaE2E {
  static final String NS = "e2e-schema";

  @BeforeAll
  static void namespace(E2ECluster cluster) {
    cluster.namespace(NS);
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("key length 31", "spec.key.length", """
            spec:
              environment: test
              key: { length: 31 }
            """),
        Arguments.of("unknown algorithm", "spec.key.algorithm", """
            spec:
              environment: test
              key: { algorithm: HS1024 }
            """),
        Arguments.of("Secret name not a DNS name", "spec.secret.name", """
            spec:
              environment: test
              secret: { name: Bad_Name }
            """),
        Arguments.of("empty selector", "spec.restart.targets", """
            spec:
              environment: test
              restart:
                targets:
                  - kind: Deployment
                    selector: {}
            """),
        Arguments.of("missing environment", "environment", """
            spec:
              key: { length: 64 }
            """),
        Arguments.of("unknown environment", "spec.environment", """
            spec:
              environment: staging
            """),
        Arguments.of("duration without a unit", "spec.rotation.gracePeriod", """
            spec:
              environment: test
              rotation: { gracePeriod: "30" }
            """),
        Arguments.of("request time not RFC 3339", "spec.rotation.invalidateBefore", """
            spec:
              environment: test
              rotation: { invalidateBefore: "yesterday" }
            """),
        Arguments.of("schedule over 64 characters", "spec.rotation.schedule", """
            spec:
              environment: test
              rotation: { schedule: "%s" }
            """.formatted("@every " + "1".repeat(57) + "h")),
        Arguments.of("33 restart targets", "spec.restart.targets", """
            spec:
              environment: test
              restart:
                targets: [%s]
            """.formatted(String.join(", ", java.util.Collections.nCopies(33, "{kind: Deployment, name: backend}")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refused(String what, String field, String spec, E2ECluster cluster) {
    String name = "bad-" + what.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    String manifest = """
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata:
          name: %s
        """.formatted(name) + spec;
    // As a user types it, and with client-side validation off: the server's schema refuses it either way.
    for (String validate : new String[] {"--validate=true", "--validate=false"}) {
      Kubectl.Result r = cluster.kubectl.runWithInput(manifest, "apply", validate, "-n", NS, "-f", "-");
      assertThat(r.exit()).as("kubectl apply %s of a JwtSecret with %s must fail:\n%s", validate, what, r).isNotZero();
      assertThat(r.err()).as(r.toString()).contains(field);
      if (validate.equals("--validate=false")) {
        assertThat(r.err()).as(r.toString()).contains("The JwtSecret \"" + name + "\" is invalid");
      }
      System.out.println("[e2e] " + what + " (" + validate + "): " + r.err().trim().replace('\n', ' '));
    }
    assertThat(cluster.kubectl.run("get", "jwts", "-n", NS, name).err()).contains("NotFound");
  }
}
