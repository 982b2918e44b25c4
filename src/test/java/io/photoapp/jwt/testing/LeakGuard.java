package io.photoapp.jwt.testing;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.JwtSecret;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Checks that no key value reaches a status field, an Event or a log line. It remembers every key
 * the Secrets in the mock server hold (current, next, previous, adopted, and every JWK in
 * {@code jwks-secret.json}), whenever asked and at the end, and looks for each in its raw, base64
 * (as Secret data holds it) and base64url (as a JWK's {@code k} holds it) forms.
 */
public final class LeakGuard implements AutoCloseable {
  /** Data entries that describe the key and are no secret. */
  private static final Set<String> PLAIN_DATA = Set.of("jwt-algorithm", "jwt-access-token-expire-minutes");
  /** Shorter values (an algorithm name, "15") would match by chance. */
  private static final int SHORTEST_KEY = 8;

  private final KubernetesClient client;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger root;
  private final Logger operatorLogger;
  private final Level operatorLevel;
  private final Set<String> keys = new LinkedHashSet<>();

  private LeakGuard(KubernetesClient client) {
    this.client = client;
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    // The operator's own debug lines are checked too: --log-level DEBUG must not leak either.
    operatorLogger = ctx.getLogger("io.photoapp");
    operatorLevel = operatorLogger.getLevel();
    operatorLogger.setLevel(Level.DEBUG);
    appender.setContext(ctx);
    appender.setName("leak-guard");
    appender.start();
    root.addAppender(appender);
  }

  /** Starts collecting log lines; status and Events are read from the server when checked. */
  public static LeakGuard watch(KubernetesClient client) {
    return new LeakGuard(client);
  }

  /** Remembers a key value that must never appear (e.g. one about to be adopted). */
  public LeakGuard remember(String key) {
    if (key != null && key.length() >= SHORTEST_KEY) {
      keys.add(key);
    }
    return this;
  }

  /** Remembers every key value in every Secret the server holds now. */
  public LeakGuard rememberSecrets() {
    client.secrets().inAnyNamespace().list().getItems().forEach(this::remember);
    return this;
  }

  /** Remembers every key value one Secret holds. */
  public LeakGuard remember(Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    data.forEach((name, base64) -> {
      if (PLAIN_DATA.contains(name) || base64 == null) {
        return;
      }
      String value = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
      if (name.endsWith(".json")) {
        jwkValues(value).forEach(this::remember);
      } else {
        remember(value);
      }
    });
    return this;
  }

  /** The key values remembered so far (for tests of the guard itself). */
  public Set<String> keys() {
    return Set.copyOf(keys);
  }

  /** Fails when a remembered key, or one in the Secrets now, shows in any status, Event or log line. */
  public void assertNoLeaks() {
    rememberSecrets();
    assertThat(keys).as("key values to look for").isNotEmpty();
    List<String> places = new ArrayList<>();
    for (JwtSecret js : client.resources(JwtSecret.class).inAnyNamespace().list().getItems()) {
      places.add("status of " + js.getMetadata().getNamespace() + "/" + js.getMetadata().getName() + ": "
          + Serialization.asJson(js.getStatus()));
    }
    for (Event e : client.v1().events().inAnyNamespace().list().getItems()) {
      places.add("event " + e.getReason() + ": " + e.getMessage());
    }
    for (ILoggingEvent e : logEvents()) {
      places.add("log line " + e.getLoggerName() + ": " + e.getFormattedMessage() + throwableText(e.getThrowableProxy()));
    }
    List<String> leaks = new ArrayList<>();
    for (String place : places) {
      for (String key : keys) {
        for (String form : forms(key)) {
          if (place.contains(form)) {
            // Name the place, but never the key itself: a failing test must not leak it either.
            leaks.add(place.substring(0, place.indexOf(':')) + " holds a key of " + key.length() + " characters");
          }
        }
      }
    }
    assertThat(leaks).as("places that show a key value").isEmpty();
  }

  /** The log lines recorded so far. */
  public List<ILoggingEvent> logEvents() {
    synchronized (appender) {
      return new ArrayList<>(appender.list);
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    operatorLogger.setLevel(operatorLevel);
  }

  private static List<String> forms(String key) {
    byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
    return List.of(key, Base64.getEncoder().encodeToString(utf8),
        Base64.getUrlEncoder().withoutPadding().encodeToString(utf8));
  }

  private static List<String> jwkValues(String json) {
    List<String> values = new ArrayList<>();
    try {
      for (JWK jwk : JWKSet.parse(json).getKeys()) {
        if (jwk instanceof OctetSequenceKey k) {
          values.add(new String(k.toByteArray(), StandardCharsets.UTF_8));
        }
      }
    } catch (ParseException e) {
      values.add(json);
    }
    return values;
  }

  private static String throwableText(IThrowableProxy t) {
    StringBuilder text = new StringBuilder();
    for (IThrowableProxy p = t; p != null; p = p.getCause()) {
      text.append(" | ").append(p.getClassName()).append(": ").append(p.getMessage());
      for (IThrowableProxy s : p.getSuppressed()) {
        text.append(throwableText(s));
      }
      for (StackTraceElementProxy e : p.getStackTraceElementProxyArray()) {
        text.append(' ').append(e.getSTEAsString());
      }
    }
    return text.toString();
  }
}
