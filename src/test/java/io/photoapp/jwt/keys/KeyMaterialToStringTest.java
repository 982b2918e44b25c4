package io.photoapp.jwt.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.RotationInput;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.testing.JwtSecrets;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every type that holds key material prints and serializes without it: a key that reaches a log
 * line, an exception message or a JSON document by accident shows nothing. A type that starts to
 * hold a key and can print it (a record, or a class with its own toString) fails the census below
 * until it is checked here.
 */
class KeyMaterialToStringTest {
  static final KeyValue KEY = new KeyGenerator().generate(Encoding.SECURE, 64);
  static final KeyValue NEXT = new KeyGenerator().generate(Encoding.URLSAFE, 64);
  static final KeyValue PREVIOUS = new KeyGenerator().generate(Encoding.HEX, 64);
  static final Instant T = Instant.parse("2026-11-28T06:00:00Z");

  static KeyState state() {
    return new KeyState(Phase.Retiring, StoredKey.of(KEY, Algorithm.HS256, T), Optional.of(StoredKey.of(NEXT, Algorithm.HS384, T)),
        Optional.of(StoredKey.of(PREVIOUS, Algorithm.HS512, T)), Optional.of(T), T, "Manual", 3);
  }

  static Stream<Arguments> keyHolders() {
    JwtSecret js = JwtSecrets.named("app").in("ns").production().build();
    return Stream.of(
        Arguments.of(KeyValue.class, KEY),
        Arguments.of(StoredKey.class, StoredKey.of(KEY, Algorithm.HS256, T)),
        Arguments.of(KeyState.class, state()),
        Arguments.of(JwkEntry.class, new JwkEntry(KEY, KeyIds.of(KEY), Algorithm.HS256, true)),
        Arguments.of(SecretCodec.Read.class, new SecretCodec.Read(Optional.of(state()), List.of())),
        Arguments.of(RotationInput.class, new RotationInput(SpecResolver.resolve(js).spec(), Optional.of(state()),
            false, false, false, true, true, T)),
        Arguments.of(io.photoapp.jwt.push.PushPayload.class, new io.photoapp.jwt.push.PushPayload(state())),
        Arguments.of(io.photoapp.jwt.push.RestorePlanner.Read.class, new io.photoapp.jwt.push.RestorePlanner.Read(null,
            io.photoapp.jwt.push.RestorePlanner.Answer.FOUND, Optional.of(state()), Optional.empty())),
        Arguments.of(io.photoapp.jwt.push.RestorePlanner.Plan.class, new io.photoapp.jwt.push.RestorePlanner.Plan(
            io.photoapp.jwt.push.RestorePlanner.Step.RESTORE, Optional.of(state()), "", Optional.empty())),
        Arguments.of(io.photoapp.jwt.reconciler.StoreRestore.Outcome.class, new io.photoapp.jwt.reconciler.StoreRestore.Outcome(
            Optional.of(state()), "JwtSecretStore/vault:apps/ns/app", Optional.empty(), Optional.empty(), List.of())),
        Arguments.of(io.photoapp.jwt.reconciler.StoreRestore.Screened.class,
            new io.photoapp.jwt.reconciler.StoreRestore.Screened(Optional.of(state()), List.of())),
        Arguments.of(io.photoapp.jwt.reconciler.Observation.class, new io.photoapp.jwt.reconciler.Observation(js,
            new io.photoapp.jwt.api.JwtSecretStatus(), T, SpecResolver.resolve(js), null, Optional.empty(), null, null,
            new SecretCodec.Read(Optional.of(state()), List.of()), null, null, null, Map.of(), null, List.of())),
        Arguments.of(io.photoapp.jwt.reconciler.Plan.Proceed.class, new io.photoapp.jwt.reconciler.Plan.Proceed(
            SpecResolver.resolve(js).spec(), true, new io.photoapp.jwt.rotation.RotationDecision(
                io.photoapp.jwt.rotation.Action.NONE, "", Optional.empty(), ""), Optional.empty(), Optional.of(state()),
            Optional.of(state()), null, null, null, null, false, List.of(), List.of(), List.of(), List.of(), null)));
  }

  /** The types checked above. */
  static final Set<Class<?>> CHECKED = Set.of(KeyValue.class, StoredKey.class, KeyState.class, JwkEntry.class,
      SecretCodec.Read.class, RotationInput.class, io.photoapp.jwt.push.PushPayload.class,
      io.photoapp.jwt.push.RestorePlanner.Read.class, io.photoapp.jwt.push.RestorePlanner.Plan.class,
      io.photoapp.jwt.reconciler.Observation.class, io.photoapp.jwt.reconciler.Plan.Proceed.class,
      io.photoapp.jwt.reconciler.StoreRestore.Outcome.class, io.photoapp.jwt.reconciler.StoreRestore.Screened.class);

  static List<String> forms(KeyValue key) {
    byte[] utf8 = key.utf8();
    return List.of(key.reveal(), Base64.getEncoder().encodeToString(utf8), Base64.getUrlEncoder().withoutPadding().encodeToString(utf8));
  }

  static void assertShowsNoKey(String what, String text) {
    for (KeyValue key : List.of(KEY, NEXT, PREVIOUS)) {
      for (String form : forms(key)) {
        assertThat(text.contains(form)).as(what + " shows a key of " + key.length() + " characters").isFalse();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyHolders")
  void printsWithoutTheKey(Class<?> type, Object holder) {
    assertThat(holder).isInstanceOf(type);
    assertShowsNoKey(type.getSimpleName() + ".toString()", holder.toString());
    assertShowsNoKey("String.valueOf in a message", "failed for " + holder);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("keyHolders")
  void serializesWithoutTheKey(Class<?> type, Object holder) {
    String json;
    try {
      json = Serialization.asJson(holder);
    } catch (RuntimeException e) {
      // Refusing to serialize is as good; the refusal must not quote the key either.
      json = String.valueOf(e.getMessage());
    }
    assertShowsNoKey(type.getSimpleName() + " as JSON", json);
  }

  @Test
  void everyTypeThatHoldsAKeyAndCanPrintItIsChecked() throws IOException, ClassNotFoundException {
    Set<Class<?>> all = new LinkedHashSet<>();
    Path classes = Path.of("target/classes");
    try (Stream<Path> files = Files.walk(classes.resolve("io/photoapp/jwt"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        all.add(Class.forName(name, false, getClass().getClassLoader()));
      }
    }
    // Holders: KeyValue, and every type with a field whose type mentions a holder, to a fixed point.
    Set<String> holders = new LinkedHashSet<>(Set.of(KeyValue.class.getName()));
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Class<?> c : all) {
        if (holders.contains(c.getName())) {
          continue;
        }
        for (Field field : c.getDeclaredFields()) {
          String type = field.getGenericType().getTypeName();
          if (!Modifier.isStatic(field.getModifiers()) && holders.stream().anyMatch(h -> type.contains(h))) {
            holders.add(c.getName());
            grew = true;
            break;
          }
        }
      }
    }
    List<String> unchecked = all.stream()
        .filter(c -> holders.contains(c.getName()) && !CHECKED.contains(c))
        .filter(c -> c.isRecord() || ownToString(c))
        .map(Class::getName).toList();
    assertThat(unchecked).as("types that hold a key and print their fields; add each to keyHolders()").isEmpty();
    assertThat(holders).as("the census finds the key holders").contains(StoredKey.class.getName(), KeyState.class.getName(),
        JwkEntry.class.getName(), SecretCodec.Read.class.getName(), RotationInput.class.getName());
  }

  private static boolean ownToString(Class<?> c) {
    try {
      return c.getDeclaredMethod("toString").getDeclaringClass() == c;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  @Test
  void theGuardIsReal() {
    // The check above would catch a type that printed its key.
    record Leaky(String value) {}
    Leaky leaky = new Leaky(KEY.reveal());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertShowsNoKey("Leaky", leaky.toString()))
        .isInstanceOf(AssertionError.class);
    assertThat(Map.of("k", KEY).toString()).doesNotContain(KEY.reveal());
  }
}
