package io.photoapp.jwt.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import io.photoapp.jwt.testing.JwtSecrets;
import io.photoapp.jwt.testing.LeakGuard;
import io.photoapp.jwt.testing.OperatorHarness;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code run --log-level TRACE}, the most an operator may ask for while debugging, shows no key either. */
class TraceLoggingLeakTest {

  @AfterEach
  void restoreTheTestLogging() throws Exception {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    new ContextInitializer(ctx).autoConfig();
  }

  @Test
  void theClientsTraceOfRequestsAndRepliesIsNeverOn() throws Exception {
    // The jar's logging configuration (Logging, in code), not the tests' (which keeps io.fabric8 at WARN), with the flag.
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.reset();
    Logging.configure(Level.TRACE, false, true);
    // The mock API server stands in for the cluster: what it logs is not the operator's.
    ctx.getLogger("io.fabric8.kubernetes.client.server.mock").setLevel(Level.INFO);
    ctx.getLogger("io.fabric8.mockwebserver").setLevel(Level.INFO);
    try (OperatorHarness h = new OperatorHarness(); LeakGuard guard = LeakGuard.watch(h)) {
      h.namespace("traced", Map.of());
      h.start();
      h.apply(JwtSecrets.named("app").in("traced").production());
      h.awaitStatus("traced", "app", js -> js.getStatus().keyId != null);
      guard.assertNoLeaks();
    }
  }
}
