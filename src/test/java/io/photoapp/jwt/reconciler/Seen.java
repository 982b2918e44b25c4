package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretSpec;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.policy.Profile;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.secret.OwnershipVerdict;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An {@link Observation} for the planner's table tests, built from what matters to a case: by default
 * a valid production JwtSecret with no Secret, no ConfigMap and no targets.
 */
final class Seen {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final String UID = "33333333-0000-4000-8000-000000000003";
  private static final KeyGenerator GENERATOR = new KeyGenerator();

  JwtSecret resource = jwtSecret(spec -> { });
  JwtSecretStatus old = new JwtSecretStatus();
  Secret secret;
  OwnershipVerdict verdict;
  Optional<String> immutability = Optional.empty();
  StoreRestore.Outcome fromStore = StoreRestore.Outcome.NONE;
  ConfigMap configMap;
  OwnershipVerdict configMapVerdict;
  List<Instant> recordedKeys = new ArrayList<>();
  List<String> externalChanges = List.of();

  static Seen of(Consumer<Seen> customize) {
    Seen seen = new Seen();
    customize.accept(seen);
    return seen;
  }

  static JwtSecret jwtSecret(Consumer<JwtSecretSpec> customize) {
    JwtSecret js = new JwtSecret();
    js.setMetadata(new ObjectMetaBuilder().withNamespace("ns").withName("app").withUid(UID).withGeneration(1L).build());
    JwtSecretSpec spec = new JwtSecretSpec();
    spec.environment = Environment.PRODUCTION;
    customize.accept(spec);
    js.setSpec(spec);
    return js;
  }

  /** The Secret the operator made for this JwtSecret, holding a fresh key created {@code createdAt}. */
  Seen withOwnSecret(Instant createdAt) {
    EffectiveSpec spec = SpecResolver.resolve(resource).spec();
    KeyState state = KeyState.fresh(StoredKey.of(GENERATOR.generate(spec.encoding(), spec.length()), spec.algorithm(),
        createdAt), Reasons.CREATED, 0);
    secret = SecretCodec.render(null, state, spec, resource, spec.tokenLifetimeMinutes());
    secret.getMetadata().setResourceVersion("1");
    verdict = OwnershipVerdict.OURS;
    old.keyId = state.current().id();
    old.keyCreatedAt = createdAt.toString();
    return this;
  }

  /** The operator's Secret in the publish stage: the current key created {@code createdAt}, the next one {@code publishedAt}. */
  Seen withPublishedSecret(Instant createdAt, Instant publishedAt) {
    withOwnSecret(createdAt);
    EffectiveSpec spec = SpecResolver.resolve(resource).spec();
    KeyState state = SecretCodec.read(secret, spec, spec.algorithm()).state().get()
        .publish(StoredKey.of(GENERATOR.generate(spec.encoding(), spec.length()), spec.algorithm(), publishedAt));
    secret = SecretCodec.render(secret, state, spec, resource, spec.tokenLifetimeMinutes());
    old.phase = state.phase();
    old.nextKeyId = state.next().get().id();
    return this;
  }

  Observation build() {
    SpecResolver.Result resolved = SpecResolver.resolve(resource);
    if (resolved.spec() == null) {
      return new Observation(resource, old, NOW, resolved, null, Optional.empty(), null, null, null, null, null, null,
          Map.of(), null, List.of());
    }
    EffectiveSpec spec = resolved.spec();
    SecretCodec.Read read = secret == null ? new SecretCodec.Read(Optional.empty(), List.of())
        : SecretCodec.read(secret, spec, spec.algorithm());
    read = new SecretCodec.Read(read.state(), externalChanges);
    return new Observation(resource, old, NOW, resolved, secret, immutability, verdict,
        Profile.effective(spec.environment(), Optional.empty()), read, fromStore, configMap, configMapVerdict, Map.of(),
        io.photoapp.jwt.restart.TargetViews.NONE, List.copyOf(recordedKeys));
  }
}
