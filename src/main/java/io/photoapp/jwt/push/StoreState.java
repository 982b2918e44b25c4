package io.photoapp.jwt.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.secret.SecretCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Where the keys stand, as a store keeps it beside them: a small JSON of what the Secret's state
 * annotations say (phase, algorithms, creation times, rotation count and reason, key ids), never a key.
 * Read back, key ids are computed from the values again, and the phase is derived from the keys
 * present as {@link SecretCodec#read} does.
 */
public final class StoreState {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StoreState() {}

  /** The state JSON of a key state: no key value in it. */
  public static String json(KeyState state) {
    ObjectNode n = JSON.createObjectNode();
    n.put("keySet", state.keySet());
    n.put("phase", state.phase().name());
    n.put("keyCreatedAt", state.current().createdAt().toString());
    state.next().ifPresent(k -> {
      n.put("nextKeyAlgorithm", k.algorithm().name());
      n.put("nextKeyCreatedAt", k.createdAt().toString());
    });
    state.previous().ifPresent(k -> {
      n.put("previousKeyAlgorithm", k.algorithm().name());
      n.put("previousKeyCreatedAt", k.createdAt().toString());
    });
    state.previousExpiresAt().ifPresent(t -> n.put("previousKeyExpiresAt", t.toString()));
    n.put("rotatedAt", state.rotatedAt().toString());
    n.put("rotationReason", state.reason());
    n.put("rotationCount", state.rotationCount());
    return n.toString();
  }

  /** A key as a store holds it: its value, and its algorithm where the store says (null: from the state, else the current key's). */
  public record Held(String value, String algorithm) {
    @Override
    public String toString() {
      return "Held[alg=" + algorithm + "]";
    }
  }

  /**
   * The key state a store holds: empty without a current key. Without a state JSON (a store written by
   * an earlier version, or by hand) times fall back to the epoch and the phase to what the keys say.
   */
  public static Optional<KeyState> keyState(String current, String algorithm, String next, String previous, String stateJson) {
    return keyState(new Held(current, algorithm), Optional.ofNullable(next).map(v -> new Held(v, null)),
        Optional.ofNullable(previous).map(v -> new Held(v, null)), stateJson);
  }

  /** The key state of keys that carry their own algorithms (a JWK set), with the state JSON stored beside them. */
  public static Optional<KeyState> keyState(Held current, Optional<Held> next, Optional<Held> previous, String stateJson) {
    if (current.value() == null || current.value().isEmpty()) {
      return Optional.empty();
    }
    JsonNode s = parse(stateJson);
    Algorithm alg = Algorithm.parse(current.algorithm()).orElse(Algorithm.HS256);
    Instant created = time(s, "keyCreatedAt").orElse(Instant.EPOCH);
    StoredKey currentKey = StoredKey.of(value(current.value()), alg, created);
    Optional<StoredKey> nextKey = next.filter(k -> nonEmpty(k.value()).isPresent()).map(k -> StoredKey.of(value(k.value()),
        algorithm(k, s, "nextKeyAlgorithm", alg), time(s, "nextKeyCreatedAt").orElse(created)));
    Optional<StoredKey> previousKey = previous.filter(k -> nonEmpty(k.value()).isPresent()).map(k -> StoredKey.of(value(k.value()),
        algorithm(k, s, "previousKeyAlgorithm", alg), time(s, "previousKeyCreatedAt").orElse(Instant.EPOCH)));
    Optional<Instant> expires = time(s, "previousKeyExpiresAt");
    Phase phase = phase(nextKey.isPresent(), previousKey.isPresent(), Phase.parse(s.path("phase").asText("")), expires);
    int count = Math.max(0, s.path("rotationCount").asInt(0));
    String reason = s.path("rotationReason").asText("");
    return Optional.of(new KeyState(phase, currentKey, nextKey, previousKey,
        phase == Phase.Retiring ? expires : Optional.empty(), time(s, "rotatedAt").orElse(created),
        reason.matches("[A-Za-z]{1,64}") ? reason : "Restored", count));
  }

  /** The phase the keys present allow: Retiring only as recorded and with an expiry. */
  private static Phase phase(boolean hasNext, boolean hasPrevious, Phase recorded, Optional<Instant> expires) {
    if (hasNext) {
      return Phase.Publishing;
    }
    if (hasPrevious) {
      return recorded == Phase.Retiring && expires.isPresent() ? Phase.Retiring : Phase.Switching;
    }
    return Phase.Idle;
  }

  private static Algorithm algorithm(Held key, JsonNode state, String field, Algorithm fallback) {
    return Algorithm.parse(key.algorithm()).or(() -> Algorithm.parse(state.path(field).asText(""))).orElse(fallback);
  }

  /**
   * What of a state JSON a drift check compares: all but the phase and the previous key's expiry, which
   * change at the retire stage without a new key set (no push), so a store that holds the key set is not
   * taken for drifted then.
   */
  public static JsonNode comparable(String stateJson) {
    JsonNode n = parse(stateJson).deepCopy();
    ((ObjectNode) n).remove(java.util.List.of("phase", "previousKeyExpiresAt"));
    return n;
  }

  /** The key ids a state JSON names, current first; empty when it names none. */
  static String keySet(String stateJson) {
    return parse(stateJson).path("keySet").asText("");
  }

  private static KeyValue value(String text) {
    return KeyValue.ofUtf8(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Optional<String> nonEmpty(String text) {
    return text == null || text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  private static JsonNode parse(String json) {
    try {
      JsonNode n = json == null ? null : JSON.readTree(json);
      return n != null && n.isObject() ? n : JSON.createObjectNode();
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static Optional<Instant> time(JsonNode n, String field) {
    return SecretCodec.parseTime(n.path(field).asText(null));
  }
}
