package io.photoapp.jwt.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Sets the log level and format (text or JSON lines) at start-up. The jar has no {@code logback.xml}: this is its
 * logging configuration, in code, so that logback loads neither its XML configurator nor the JDK's XML parser (about
 * 330 classes the operator would keep loaded for nothing, issue #19). Until it runs, logback's default (console) applies.
 */
final class Logging {
  /** Loggers quieter than the root, by name (what the jar's logback.xml said). */
  static final Map<String, Level> LEVELS = Map.of(
      "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils", Level.ERROR,
      "io.fabric8.mockwebserver", Level.WARN,
      // Push to external stores: the operator reports each failure itself (io.photoapp.jwt.push).
      "com.azure", Level.WARN,
      "com.azure.core.http.jdk.httpclient", Level.OFF,
      "com.azure.core.http.policy.RetryPolicy", Level.OFF,
      "software.amazon.awssdk", Level.WARN);

  private Logging() {}

  static void configure(Level level, boolean json) {
    configure(level, json, false);
  }

  static void configure(Level level, boolean json, boolean toStderr) {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    Encoder<ILoggingEvent> encoder;
    if (json) {
      JsonEncoder e = new JsonEncoder();
      e.setContext(ctx);
      e.start();
      encoder = e;
    } else {
      PatternLayoutEncoder e = new PatternLayoutEncoder();
      e.setContext(ctx);
      e.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSSX} %-5level %logger{20} - %msg%n");
      e.start();
      encoder = e;
    }
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(ctx);
    appender.setName("console");
    appender.setTarget(toStderr ? "System.err" : "System.out");
    appender.setEncoder(encoder);
    appender.start();
    root.addAppender(appender);
    root.setLevel(level);
    LEVELS.forEach((name, quieter) -> ctx.getLogger(name).setLevel(quieter));
    // At TRACE the client logs every request and reply whole: the Secrets with their keys. Never that.
    ctx.getLogger("io.fabric8.kubernetes.client.http.HttpLoggingInterceptor").setLevel(Level.DEBUG);
  }
}
