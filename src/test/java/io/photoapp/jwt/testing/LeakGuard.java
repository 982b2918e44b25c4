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
 * Checks that no key value reaches a status field, an Event, a log line (with the stack traces of
 * the exceptions logged: the SDK logs a failed reconcile's exception at WARN) or the metrics page.
 * It remembers every key the Secrets in the mock server hold (current, next, previous, adopted, and
 * every JWK in {@code jwks-secret.json}): every version of every Secret while it watches, whenever
 * asked, and at the end; and looks for each in its raw, base64 (as Secret data holds it) and
 * base64url (as a JWK's {@code k} holds it) forms.
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
  private final Set<String> keys = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
  private final java.util.function.Supplier<List<String>> metricsPages;
  private final io.fabric8.kubernetes.client.Watch secretWatch;

  private LeakGuard(KubernetesClient client, java.util.function.Supplier<List<String>> metricsPages) {
    this.client = client;
    this.metricsPages = metricsPages;
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
    // Keys that come and go (a retired previous key) must not show either.
    secretWatch = client.secrets().inAnyNamespace().watch(new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, Secret secret) {
        remember(secret);
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
    });
  }

  /** Starts collecting log lines and Secret versions; status and Events are read from the server when checked. */
  public static LeakGuard watch(KubernetesClient client) {
    return new LeakGuard(client, List::of);
  }

  /** As {@link #watch(KubernetesClient)}, and the metrics page of every operator the harness started. */
  public static LeakGuard watch(OperatorHarness h) {
    return new LeakGuard(h.client, h::metricsPages);
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
    synchronized (keys) {
      return Set.copyOf(keys);
    }
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
    List<String> pages = metricsPages.get();
    for (int i = 0; i < pages.size(); i++) {
      places.add("metrics page of operator " + (i + 1) + ": " + pages.get(i));
    }
    // Every form of every key, indexed by its first characters: a scan of each place finds them all at once.
    Map<String, List<String>> byPrefix = new java.util.HashMap<>();
    Map<String, String> keyOfForm = new java.util.HashMap<>();
    for (String key : keys()) {
      for (String form : forms(key)) {
        byPrefix.computeIfAbsent(form.substring(0, SHORTEST_KEY), p -> new ArrayList<>()).add(form);
        keyOfForm.put(form, key);
      }
    }
    List<String> leaks = new ArrayList<>();
    for (String place : places) {
      for (int i = 0; i + SHORTEST_KEY <= place.length(); i++) {
        List<String> candidates = byPrefix.get(place.substring(i, i + SHORTEST_KEY));
        if (candidates == null) {
          continue;
        }
        for (String form : candidates) {
          if (place.startsWith(form, i)) {
            // Name the place, but never the key itself: a failing test must not leak it either.
            leaks.add(place.substring(0, place.indexOf(':')) + " holds a key of " + keyOfForm.get(form).length() + " characters");
          }
        }
      }
    }
    assertThat(leaks).as("places that show a key value").isEmpty();
  }

  /**
   * Fails when a key was remembered or a Secret in the server holds one: for a scope that makes no
   * key, where {@link #assertNoLeaks} would have nothing to look for. The failure counts the keys and
   * never shows one.
   */
  public void assertNoKeys() {
    rememberSecrets();
    assertThat(keys().size()).as("keys made or remembered in a scope that says it makes none"
        + " (@MockApiServer(keys = NONE) or @NoKeys): let the guard look for them instead").isZero();
  }

  /** The log lines recorded so far. */
  public List<ILoggingEvent> logEvents() {
    synchronized (appender) {
      return new ArrayList<>(appender.list);
    }
  }

  @Override
  public void close() {
    secretWatch.close();
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
