package io.photoapp.jwt.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.secret.KeyState;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.secret.StoredKey;
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

  /**
   * The key state a store holds: empty without a current key. Without a state JSON (a store written by
   * an earlier version, or by hand) times fall back to the epoch and the phase to what the keys say.
   */
  public static Optional<KeyState> keyState(String current, String algorithm, String next, String previous, String stateJson) {
    if (current == null || current.isEmpty()) {
      return Optional.empty();
    }
    JsonNode s = parse(stateJson);
    Algorithm alg = Algorithm.parse(algorithm).orElse(Algorithm.HS256);
    Instant created = time(s, "keyCreatedAt").orElse(Instant.EPOCH);
    StoredKey currentKey = StoredKey.of(value(current), alg, created);
    Optional<StoredKey> nextKey = nonEmpty(next).map(v -> StoredKey.of(value(v),
        Algorithm.parse(s.path("nextKeyAlgorithm").asText("")).orElse(alg), time(s, "nextKeyCreatedAt").orElse(created)));
    Optional<StoredKey> previousKey = nonEmpty(previous).map(v -> StoredKey.of(value(v),
        Algorithm.parse(s.path("previousKeyAlgorithm").asText("")).orElse(alg), time(s, "previousKeyCreatedAt").orElse(Instant.EPOCH)));
    Phase recorded = Phase.parse(s.path("phase").asText(""));
    Optional<Instant> expires = time(s, "previousKeyExpiresAt");
    Phase phase;
    if (nextKey.isPresent()) {
      phase = Phase.Publishing;
    } else if (previousKey.isPresent()) {
      phase = recorded == Phase.Retiring && expires.isPresent() ? Phase.Retiring : Phase.Switching;
    } else {
      phase = Phase.Idle;
    }
    int count = Math.max(0, s.path("rotationCount").asInt(0));
    String reason = s.path("rotationReason").asText("");
    return Optional.of(new KeyState(phase, currentKey, nextKey, previousKey,
        phase == Phase.Retiring ? expires : Optional.empty(), time(s, "rotatedAt").orElse(created),
        reason.matches("[A-Za-z]{1,64}") ? reason : "Restored", count));
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
