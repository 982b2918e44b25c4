package io.photoapp.jwt.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Approval;
import io.photoapp.jwt.api.JwtSecret;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** spec.rotation.windows and approval as the operator reads them: bad windows are spec problems a person can act on. */
class RotationWindowsTest {

  static SpecResolver.Result resolve(String rotation) {
    return SpecResolver.resolve(Serialization.unmarshal("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecret
        metadata: {name: a, namespace: b}
        spec:
          environment: production
          rotation: {%s}
        """.formatted(rotation), JwtSecret.class));
  }

  static Stream<Arguments> problems() {
    return Stream.of(
        Arguments.of("a start that is no time", "windows: [{start: \"2am\", end: \"05:00\"}]", "windows[0].start \"2am\" is not a time HH:MM"),
        Arguments.of("an hour past 23", "windows: [{start: \"25:00\", end: \"05:00\"}]", "windows[0].start \"25:00\""),
        Arguments.of("a missing end", "windows: [{start: \"02:00\"}]", "windows[0].end is required"),
        Arguments.of("an empty window", "windows: [{start: \"02:00\", end: \"02:00\"}]", "an empty window"),
        Arguments.of("an unknown day", "windows: [{days: [Saturday], start: \"02:00\", end: \"05:00\"}]",
            "windows[0].days[0] \"Saturday\" is not one of Mon, Tue, Wed, Thu, Fri, Sat, Sun"),
        Arguments.of("24:00 as a start", "windows: [{start: \"24:00\", end: \"05:00\"}]", "is not a time of day"),
        Arguments.of("too many windows", "windows: [" + "{start: \"02:00\", end: \"03:00\"},".repeat(17) + "]", "more than 16"),
        Arguments.of("an unknown approval", "approval: Sometimes", "approval \"Sometimes\" is not one of Automatic, Manual"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("problems")
  void badWindowsAreSpecProblems(String name, String rotation, String problem) {
    SpecResolver.Result r = resolve(rotation);
    assertThat(r.valid()).isFalse();
    assertThat(String.join("; ", r.problems())).contains(problem);
    if (!problem.contains("is not one of")) {
      // Only the rotation settings are broken: the Secret can still be read, so emergencies and retirements run.
      // (A value this operator cannot read at all stops everything, as an unknown strategy does.)
      assertThat(r.spec()).isNotNull();
    }
  }

  @Test
  void goodWindowsAndApprovalAreRead() {
    SpecResolver.Result r = resolve("approval: Manual, timeZone: Europe/Berlin, windows: [{days: [Sat, Sun], start: \"02:00\", end: \"05:00\"},"
        + " {start: \"22:00\", end: \"24:00\"}]");
    assertThat(r.problems()).isEmpty();
    assertThat(r.spec().approval()).isEqualTo(Approval.Manual);
    assertThat(r.spec().windows().windows()).hasSize(2);
    // 02:30 on a Saturday in Berlin (UTC+1) is open; 01:30 is not; 23:00 any day is.
    assertThat(r.spec().windows().isOpen(Instant.parse("2026-01-31T01:30:00Z"))).isTrue();
    assertThat(r.spec().windows().isOpen(Instant.parse("2026-01-31T00:30:00Z"))).isFalse();
    assertThat(r.spec().windows().isOpen(Instant.parse("2026-01-28T22:00:00Z"))).isTrue();
    assertThat(resolve("").spec().approval()).isEqualTo(Approval.Automatic);
    assertThat(resolve("").spec().windows().restricted()).isFalse();
  }
}
