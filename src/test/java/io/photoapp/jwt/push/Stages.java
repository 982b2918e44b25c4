package io.photoapp.jwt.push;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import java.time.Duration;
import java.time.Instant;

/** Key states of a staged rotation, K1 to K2, for the push tests. */
final class Stages {
  static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");
  private static final KeyGenerator GENERATOR = new KeyGenerator();

  final StoredKey k1 = key(T0);
  final StoredKey k2 = key(T0.plus(Duration.ofDays(30)));
  final KeyState idle = KeyState.fresh(k1, "Created", 0);
  final KeyState publishing = idle.publish(k2);
  final KeyState switching = publishing.switchTo(k2, "Scheduled", T0.plus(Duration.ofDays(30).plusMinutes(5)));
  final KeyState retiring = switching.retiring(T0.plus(Duration.ofDays(30).plusMinutes(40)));
  final KeyState retired = retiring.retired();

  static StoredKey key(Instant created) {
    return StoredKey.of(GENERATOR.generate(Encoding.URLSAFE, 64), Algorithm.HS256, created);
  }

  static PushPayload payload(KeyState state) {
    return new PushPayload(state);
  }
}
