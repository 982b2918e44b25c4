package io.photoapp.jwt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.ops.OperatorConfig;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RunConfigurationTest {

  static RunCommand parse(Map<String, String> env, String... flags) {
    String[] args = Stream.concat(Stream.of("run"), Stream.of(flags)).toArray(String[]::new);
    return (RunCommand) Main.commandLine(env).parseArgs(args).subcommand().commandSpec().userObject();
  }

  static Arguments setting(String name, Map<String, String> env, String[] flags,
      Function<OperatorConfig, Object> field, Object expected) {
    return Arguments.of(name, env, flags, field, expected);
  }

  static Stream<Arguments> settings() {
    Function<OperatorConfig, Object> port = OperatorConfig::metricsPort;
    Function<OperatorConfig, Object> namespaces = OperatorConfig::namespaces;
    Function<OperatorConfig, Object> election = OperatorConfig::leaderElection;
    String[] none = {};
    return Stream.of(
        setting("default port", Map.of(), none, port, 8080),
        setting("port from the environment", Map.of("JWT_OPERATOR_METRICS_PORT", "9090"), none, port, 9090),
        setting("the flag wins over the environment", Map.of("JWT_OPERATOR_METRICS_PORT", "9090"),
            new String[] {"--metrics-port", "9091"}, port, 9091),
        setting("all namespaces by default", Map.of(), none, namespaces, Set.of()),
        setting("namespaces from the environment", Map.of("JWT_OPERATOR_NAMESPACES", "team-a, team-b"), none,
            namespaces, Set.of("team-a", "team-b")),
        setting("namespaces flag wins", Map.of("JWT_OPERATOR_NAMESPACES", "team-a,team-b"),
            new String[] {"--namespaces", "team-c"}, namespaces, Set.of("team-c")),
        setting("no leader election by default", Map.of(), none, election, false),
        setting("leader election from the environment", Map.of("JWT_OPERATOR_LEADER_ELECTION", "true"), none,
            election, true),
        setting("leader election flag without a value", Map.of("JWT_OPERATOR_LEADER_ELECTION", "false"),
            new String[] {"--leader-election"}, election, true),
        setting("field manager from the environment", Map.of("JWT_OPERATOR_FIELD_MANAGER", "jwt-ops"), none,
            OperatorConfig::fieldManager, "jwt-ops"),
        setting("lease name from the environment", Map.of("JWT_OPERATOR_LEASE_NAME", "jwt-lease"), none,
            OperatorConfig::leaseName, "jwt-lease"),
        setting("lease namespace from the environment (the chart's downward API)",
            Map.of("JWT_OPERATOR_LEASE_NAMESPACE", "jwt-system"), none, OperatorConfig::leaseNamespace, "jwt-system"),
        setting("lease namespace outside a pod", Map.of(), none, OperatorConfig::leaseNamespace, "default"),
        setting("production lease timings", Map.of(), none, OperatorConfig::leaseTimings, OperatorConfig.LeaseTimings.DEFAULT),
        setting("500 requests a second by default", Map.of(), none, OperatorConfig::maxRequestsPerSecond, 500),
        setting("a burst of a fifth of that", Map.of(), none, OperatorConfig::requestBurst, 100),
        setting("the request rate from the environment", Map.of("JWT_OPERATOR_MAX_REQUESTS_PER_SECOND", "200"), none,
            OperatorConfig::requestBurst, 40));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("settings")
  void runConfiguration(String name, Map<String, String> env, String[] flags, Function<OperatorConfig, Object> field,
      Object expected) {
    assertThat(field.apply(parse(env, flags).config())).isEqualTo(expected);
  }

  @Test
  void logSettingsComeFromTheEnvironmentUnlessAFlagIsGiven() {
    Map<String, String> env = Map.of("JWT_OPERATOR_LOG_LEVEL", "DEBUG", "JWT_OPERATOR_LOG_FORMAT", "json");
    RunCommand fromEnv = parse(env);
    assertThat(fromEnv.logLevel).isEqualTo("DEBUG");
    assertThat(fromEnv.logFormat).isEqualTo("json");
    RunCommand flagged = parse(env, "--log-level", "WARN", "--log-format", "text");
    assertThat(flagged.logLevel).isEqualTo("WARN");
    assertThat(flagged.logFormat).isEqualTo("text");
  }

  @Test
  void everyRunFlagHasAnEnvironmentVariable() {
    assertThat(Main.commandLine(Map.of()).getSubcommands().get("run").getCommandSpec().options().stream()
        .map(o -> o.longestName()).filter(n -> !n.equals("--help") && !n.equals("--version"))
        .map(EnvironmentDefaults::variableFor))
        .containsExactlyInAnyOrder("JWT_OPERATOR_NAMESPACES", "JWT_OPERATOR_METRICS_PORT", "JWT_OPERATOR_FIELD_MANAGER",
            "JWT_OPERATOR_LEADER_ELECTION", "JWT_OPERATOR_LEASE_NAME", "JWT_OPERATOR_LEASE_NAMESPACE",
            "JWT_OPERATOR_LOG_LEVEL", "JWT_OPERATOR_LOG_FORMAT", "JWT_OPERATOR_MAX_REQUESTS_PER_SECOND",
            "JWT_OPERATOR_ALLOW_INSECURE_STORES", "JWT_OPERATOR_MAX_CONCURRENT_ROLLOUTS", "JWT_OPERATOR_CACHE_SYNC_TIMEOUT");
  }

  @Test
  void maxConcurrentRolloutsComesFromTheFlagOrTheEnvironmentAndDefaultsToTen() {
    assertThat(parse(Map.of()).config().maxConcurrentRollouts()).isEqualTo(10);
    assertThat(parse(Map.of("JWT_OPERATOR_MAX_CONCURRENT_ROLLOUTS", "3")).config().maxConcurrentRollouts()).isEqualTo(3);
    assertThat(parse(Map.of("JWT_OPERATOR_MAX_CONCURRENT_ROLLOUTS", "3"), "--max-concurrent-rollouts", "5").config()
        .maxConcurrentRollouts()).isEqualTo(5);
  }

  @Test
  void theCacheSyncTimeoutComesFromTheFlagOrTheEnvironmentAndDefaultsToTenMinutes() {
    assertThat(parse(Map.of()).config().cacheSyncTimeout()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(parse(Map.of("JWT_OPERATOR_CACHE_SYNC_TIMEOUT", "20m")).config().cacheSyncTimeout())
        .isEqualTo(java.time.Duration.ofMinutes(20));
    assertThat(parse(Map.of("JWT_OPERATOR_CACHE_SYNC_TIMEOUT", "20m"), "--cache-sync-timeout", "1h").config()
        .cacheSyncTimeout()).isEqualTo(java.time.Duration.ofHours(1));
    assertThat(parse(Map.of(), "--cache-sync-timeout", "90s").config().cacheSyncTimeout())
        .isEqualTo(java.time.Duration.ofSeconds(90));
  }

  static Stream<Arguments> refusedCacheSyncTimeouts() {
    return Stream.of(
        Arguments.of("0s", "more than 0 and at most 1h, not 0s"),
        Arguments.of("61m", "more than 0 and at most 1h, not 3660s"),
        Arguments.of("-5m", "is not a duration such as 90s"),
        Arguments.of("PT10M", "is not a duration such as 90s"),
        Arguments.of("ten minutes", "is not a duration such as 90s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedCacheSyncTimeouts")
  void aCacheSyncTimeoutOutOfRangeIsRefusedWithAMessageBeforeAnythingStarts(String value, String message) {
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      assertThat(Main.commandLine(Map.of()).execute("run", "--cache-sync-timeout", value)).isEqualTo(2);
    } finally {
      System.setErr(saved);
    }
    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("error: --cache-sync-timeout: ")
        .contains(message);
  }

  @Test
  void aRequestRateBelowOneIsRefusedWithAMessage() {
    java.io.StringWriter err = new java.io.StringWriter();
    java.io.PrintStream saved = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      int code = Main.commandLine(Map.of()).execute("run", "--max-requests-per-second", "0");
      assertThat(code).isEqualTo(2);
    } finally {
      System.setErr(saved);
    }
    assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("--max-requests-per-second must be at least 1");
  }
}
