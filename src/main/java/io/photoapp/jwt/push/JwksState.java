package io.photoapp.jwt.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.keys.AsymmetricKeys;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.rotation.KeyState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What AWS Secrets Manager and Azure Key Vault hold for a JwtSecret, and how it reads back: a secret with
 * the current key (what apps there sign with) and a secret with the JWK set of every key, current first,
 * then next and previous, carrying one more member, {@value #STATE_MEMBER}: where the keys stand, as
 * {@link StoreState} writes it (phase, algorithms, creation times, rotation count; no key). RFC 7517
 * section 5 lets a JWK set carry members its readers do not know; they ignore them. Both come from one
 * write, so the keys and their state never disagree. Nothing here puts a value in a message.
 */
public final class JwksState {
  /** The JWK set's member with the state JSON. */
  public static final String STATE_MEMBER = "x-jwt-secret-operator-state";
  /** More keys than a key set ever has: further entries of a JWK set are not read. */
  static final int MAX_KEYS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  private JwksState() {}

  /** What the two secrets hold: each value, or null when the secret does not exist. Never shows a value. */
  public record Held(String current, String jwks) {
    public boolean isEmpty() {
      return current == null && jwks == null;
    }

    @Override
    public String toString() {
      return "Held[current " + (current == null ? "absent" : "present") + ", jwks " + (jwks == null ? "absent" : "present") + "]";
    }
  }

  /** The JWK set a push writes: the payload's, with the state member. */
  public static String write(PushPayload payload) {
    ObjectNode set = (ObjectNode) tree(payload.jwks()).orElseThrow();
    set.set(STATE_MEMBER, tree(StoreState.json(payload.state())).orElseThrow());
    return set.toString();
  }

  /**
   * The key set the store holds; empty when it holds no key. A current-key secret whose value the JWK
   * set does not hold (written by hand), or one beside a JWK set that cannot be read, is restored
   * alone, without times. Otherwise the JWK set is the key set: it is written first, so after a push
   * cut short between the two writes it is the newer (the switch completes at the next push).
   */
  public static Optional<KeyState> keyState(Held held) {
    List<StoreState.Held> keys = keys(held.jwks());
    Optional<String> current = Optional.ofNullable(held.current()).filter(c -> !c.isEmpty());
    if (current.isPresent() && keys.stream().noneMatch(k -> same(k.value(), current.get()))) {
      return StoreState.keyState(new StoreState.Held(current.get(), algorithmOf(current.get())), Optional.empty(),
          Optional.empty(), null);
    }
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    StoreState.Held first = keys.get(0);
    List<StoreState.Held> others = keys.subList(1, keys.size());
    String state = stateJson(held.jwks()).orElse(null);
    if (state != null && StoreState.keySet(state).equals(ids(first, others))) {
      JsonNode s = tree(state).orElseThrow();
      boolean hasNext = s.hasNonNull("nextKeyCreatedAt");
      boolean hasPrevious = s.hasNonNull("previousKeyCreatedAt");
      if (others.size() == (hasNext ? 1 : 0) + (hasPrevious ? 1 : 0)) {
        return StoreState.keyState(first, hasNext ? Optional.of(others.get(0)) : Optional.empty(),
            hasPrevious ? Optional.of(others.get(others.size() - 1)) : Optional.empty(), state);
      }
    }
    // No state, or one that does not fit the keys: a lone other key is taken for the previous one, never
    // the next (an old key made current again would undo a rotation); times are unknown.
    return StoreState.keyState(first, others.size() >= 2 ? Optional.of(others.get(0)) : Optional.empty(),
        others.isEmpty() ? Optional.empty() : Optional.of(others.get(others.size() >= 2 ? 1 : 0)), null);
  }

  /**
   * How what the store holds compares with what a push of the payload writes: both secrets as a push
   * writes them (the state compared without the phase and expiry of the retire stage), the same keys
   * without the state (an earlier version's write), or anything else (drift).
   */
  public static Store.Comparison compare(Held held, PushPayload payload) {
    if (held.current() == null || held.jwks() == null || !same(held.current(), payload.current().value().reveal())) {
      return Store.Comparison.DIFFERENT;
    }
    Optional<JsonNode> found = tree(held.jwks()).filter(JsonNode::isObject);
    if (found.isEmpty()) {
      return Store.Comparison.DIFFERENT;
    }
    ObjectNode keysOnly = found.get().deepCopy();
    JsonNode state = keysOnly.remove(STATE_MEMBER);
    if (!keysOnly.equals(tree(payload.jwks()).orElseThrow())) {
      return Store.Comparison.DIFFERENT;
    }
    if (state == null) {
      return Store.Comparison.WITHOUT_STATE;
    }
    return state.isObject() && StoreState.comparable(state.toString()).equals(StoreState.comparable(StoreState.json(payload.state())))
        ? Store.Comparison.SAME : Store.Comparison.DIFFERENT;
  }

  /** The keys of a JWK set, in order, each with its value as the Secret holds it; keys that cannot be read are left out. */
  static List<StoreState.Held> keys(String jwks) {
    List<StoreState.Held> keys = new ArrayList<>();
    JsonNode entries = tree(jwks).map(n -> n.path("keys")).orElse(null);
    if (entries == null || !entries.isArray()) {
      return keys;
    }
    for (JsonNode entry : entries) {
      if (keys.size() == MAX_KEYS) {
        break;
      }
      key(entry).ifPresent(keys::add);
    }
    return keys;
  }

  private static Optional<StoreState.Held> key(JsonNode entry) {
    if (!entry.isObject()) {
      return Optional.empty();
    }
    try {
      JWK jwk = JWK.parse(entry.toString());
      Optional<Algorithm> alg = Optional.ofNullable(jwk.getAlgorithm()).flatMap(a -> Algorithm.parse(a.getName()));
      if (jwk instanceof OctetSequenceKey oct) {
        String value = new String(oct.toByteArray(), StandardCharsets.UTF_8);
        return Optional.of(new StoreState.Held(value, alg.filter(a -> !a.isAsymmetric()).orElse(Algorithm.HS256).name()));
      }
      if (alg.isEmpty() || !alg.get().isAsymmetric()) {
        return Optional.empty();
      }
      // The Secret holds an asymmetric key as its private JWK with kid, alg and use: normalised to that.
      KeyValue raw = KeyValue.of(jwk.toJSONString());
      return AsymmetricKeys.privateJwkJson(raw, alg.get(), KeyIds.of(raw, alg.get()))
          .map(v -> new StoreState.Held(v, alg.get().name()));
    } catch (java.text.ParseException | RuntimeException e) {
      // The parser's message may quote the value: dropped on purpose.
      return Optional.empty();
    }
  }

  private static Optional<String> stateJson(String jwks) {
    return tree(jwks).map(n -> n.get(STATE_MEMBER)).filter(JsonNode::isObject).map(JsonNode::toString);
  }

  private static String ids(StoreState.Held current, List<StoreState.Held> others) {
    List<String> ids = new ArrayList<>();
    ids.add(id(current));
    others.forEach(k -> ids.add(id(k)));
    return String.join(",", ids);
  }

  private static String id(StoreState.Held key) {
    return KeyIds.of(KeyValue.of(key.value()), Algorithm.parse(key.algorithm()).orElse(Algorithm.HS256));
  }

  /** The algorithm a lone current key names (a private JWK's alg), else HS256. */
  private static String algorithmOf(String value) {
    return AsymmetricKeys.parsePrivate(KeyValue.of(value)).flatMap(j -> Optional.ofNullable(j.getAlgorithm()))
        .flatMap(a -> Algorithm.parse(a.getName())).orElse(Algorithm.HS256).name();
  }

  private static boolean same(String a, String b) {
    return KeyValue.of(a).equals(KeyValue.of(b));
  }

  private static Optional<JsonNode> tree(String json) {
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JSON.readTree(json));
    } catch (IOException | RuntimeException e) {
      // The parser's message may quote the value: dropped on purpose.
      return Optional.empty();
    }
  }
}
