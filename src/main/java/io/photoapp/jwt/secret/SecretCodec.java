package io.photoapp.jwt.secret;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.DeletionPolicy;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.keys.AsymmetricKeys;
import io.photoapp.jwt.keys.JwkEntry;
import io.photoapp.jwt.keys.JwkSets;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Reads a {@link KeyState} from a Secret and renders one into a Secret: data and metadata together. */
public final class SecretCodec {
  public static final String ALGORITHM_KEY = "jwt-algorithm";
  public static final String EXPIRE_MINUTES_KEY = "jwt-access-token-expire-minutes";
  public static final String JWKS_KEY = "jwks-secret.json";
  /** Asymmetric current key only: its private JWK, PKCS#8 PEM and SubjectPublicKeyInfo PEM. */
  public static final String PRIVATE_JWK_KEY = "private.jwk.json";
  public static final String PRIVATE_PEM_KEY = "private.pem";
  public static final String PUBLIC_PEM_KEY = "public.pem";
  /** Annotations the operator writes; removed when a Retain JwtSecret is deleted (but key-created-at). */
  public static final List<String> STATE_ANNOTATIONS = List.of(
      Labels.OWNER, Labels.OWNER_UID, Labels.PHASE, Labels.KEY_ID, Labels.KEY_ALGORITHM,
      Labels.NEXT_KEY_ID, Labels.NEXT_KEY_CREATED_AT, Labels.NEXT_KEY_ALGORITHM,
      Labels.PREVIOUS_KEY_ID, Labels.PREVIOUS_KEY_CREATED_AT, Labels.PREVIOUS_KEY_ALGORITHM,
      Labels.PREVIOUS_KEY_EXPIRES_AT, Labels.ROTATED_AT, Labels.ROTATION_REASON, Labels.ROTATION_COUNT,
      Labels.DATA_KEYS, Labels.ADOPTED, Labels.RECENT_KEYS);

  private SecretCodec() {}

  /** What a Secret says: the state, and whether someone changed it behind the operator's back. */
  public record Read(Optional<KeyState> state, List<String> externalChanges) {}

  /**
   * Reads the keys from the data (ids are computed from it, never trusted from annotations) and the
   * stage from the annotations. An empty state means the Secret holds no usable current key.
   */
  public static Read read(Secret secret, EffectiveSpec spec, Algorithm fallbackAlgorithm) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    Map<String, String> a = secret.getMetadata().getAnnotations() == null ? Map.of() : secret.getMetadata().getAnnotations();
    List<String> changes = new ArrayList<>();
    Instant secretCreated = parseTime(secret.getMetadata().getCreationTimestamp()).orElse(Instant.EPOCH);

    Optional<KeyValue> currentValue = decode(data.get(spec.dataKey()));
    if (currentValue.isEmpty()) {
      if (a.containsKey(Labels.KEY_ID)) {
        changes.add("the current key (" + spec.dataKey() + ") was removed");
      }
      return new Read(Optional.empty(), changes);
    }
    Algorithm currentAlg = currentAlgorithm(secret, fallbackAlgorithm);
    StoredKey current = StoredKey.of(currentValue.get(), currentAlg,
        parseTime(a.get(Labels.KEY_CREATED_AT)).orElse(secretCreated));
    noteChange(changes, "current", a.get(Labels.KEY_ID), current.id());

    Optional<StoredKey> next = decode(data.get(spec.nextDataKey())).map(v -> StoredKey.of(v,
        Algorithm.parse(a.getOrDefault(Labels.NEXT_KEY_ALGORITHM, "")).orElse(currentAlg),
        parseTime(a.get(Labels.NEXT_KEY_CREATED_AT)).orElse(current.createdAt())));
    next.ifPresent(k -> noteChange(changes, "next", a.get(Labels.NEXT_KEY_ID), k.id()));
    Optional<StoredKey> previous = decode(data.get(spec.previousDataKey())).map(v -> StoredKey.of(v,
        Algorithm.parse(a.getOrDefault(Labels.PREVIOUS_KEY_ALGORITHM, "")).orElse(currentAlg),
        parseTime(a.get(Labels.PREVIOUS_KEY_CREATED_AT)).orElse(secretCreated)));
    previous.ifPresent(k -> noteChange(changes, "previous", a.get(Labels.PREVIOUS_KEY_ID), k.id()));

    Phase phase = Phase.parse(a.get(Labels.PHASE));
    // The phase must agree with the keys present; otherwise derive it from them.
    if (next.isPresent()) {
      phase = Phase.Publishing;
    } else if (previous.isPresent()) {
      phase = phase == Phase.Retiring && a.containsKey(Labels.PREVIOUS_KEY_EXPIRES_AT) ? Phase.Retiring : Phase.Switching;
    } else {
      phase = Phase.Idle;
    }
    Optional<Instant> expires = phase == Phase.Retiring ? parseTime(a.get(Labels.PREVIOUS_KEY_EXPIRES_AT)) : Optional.empty();
    int count = 0;
    try {
      count = Integer.parseInt(a.getOrDefault(Labels.ROTATION_COUNT, "0"));
    } catch (NumberFormatException e) {
      count = 0;
    }
    return new Read(Optional.of(new KeyState(phase, current, next, previous, expires,
        parseTime(a.get(Labels.ROTATED_AT)).orElse(current.createdAt()),
        a.getOrDefault(Labels.ROTATION_REASON, "Adopted"), count)), changes);
  }

  /** The algorithm of the current key: {@code jwt-algorithm} in the data, else the annotation, else the fallback. */
  public static Algorithm currentAlgorithm(Secret secret, Algorithm fallback) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    Map<String, String> a = secret.getMetadata().getAnnotations() == null ? Map.of() : secret.getMetadata().getAnnotations();
    return Algorithm.parse(decodeText(data.get(ALGORITHM_KEY)).orElse(""))
        .or(() -> Algorithm.parse(a.getOrDefault(Labels.KEY_ALGORITHM, ""))).orElse(fallback);
  }

  /**
   * The Secret as it should be for this state: existing unrelated data, labels and annotations are
   * kept; the operator's own are set or removed.
   */
  public static Secret render(Secret existing, KeyState state, EffectiveSpec spec, JwtSecret owner, int tokenMinutes) {
    SecretBuilder builder = existing == null
        ? new SecretBuilder().withNewMetadata().withName(spec.secretName())
            .withNamespace(owner.getMetadata().getNamespace()).endMetadata().withType("Opaque")
        : new SecretBuilder(existing);
    Secret secret = builder.build();
    ObjectMeta meta = secret.getMetadata();

    // spec.secret.template first: the operator's own label and annotations, set after, win.
    Map<String, String> labels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
    labels.putAll(spec.secretTemplate().labels());
    labels.put(Labels.MANAGED, Labels.TRUE);
    meta.setLabels(labels);

    boolean adopted = adopted(existing, owner);
    String formerUid = existing == null || existing.getMetadata().getAnnotations() == null ? null
        : existing.getMetadata().getAnnotations().get(Labels.OWNER_UID);
    Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    annotations.putAll(spec.secretTemplate().annotations());
    STATE_ANNOTATIONS.forEach(annotations::remove);
    if (adopted) {
      annotations.put(Labels.ADOPTED, Labels.TRUE);
    }
    annotations.put(Labels.OWNER, Ownership.ownerKey(owner));
    annotations.put(Labels.OWNER_UID, owner.getMetadata().getUid());
    annotations.put(Labels.PHASE, state.phase().name());
    annotations.put(Labels.KEY_ID, state.current().id());
    annotations.put(Labels.KEY_CREATED_AT, state.current().createdAt().toString());
    annotations.put(Labels.KEY_ALGORITHM, state.current().algorithm().name());
    state.next().ifPresent(k -> {
      annotations.put(Labels.NEXT_KEY_ID, k.id());
      annotations.put(Labels.NEXT_KEY_CREATED_AT, k.createdAt().toString());
      annotations.put(Labels.NEXT_KEY_ALGORITHM, k.algorithm().name());
    });
    state.previous().ifPresent(k -> {
      annotations.put(Labels.PREVIOUS_KEY_ID, k.id());
      annotations.put(Labels.PREVIOUS_KEY_CREATED_AT, k.createdAt().toString());
      annotations.put(Labels.PREVIOUS_KEY_ALGORITHM, k.algorithm().name());
    });
    state.previousExpiresAt().ifPresent(t -> annotations.put(Labels.PREVIOUS_KEY_EXPIRES_AT, t.toString()));
    annotations.put(Labels.ROTATED_AT, state.rotatedAt().toString());
    annotations.put(Labels.ROTATION_REASON, state.reason());
    annotations.put(Labels.ROTATION_COUNT, Integer.toString(state.rotationCount()));
    annotations.put(Labels.DATA_KEYS, spec.dataKeys());
    meta.setAnnotations(annotations);

    Map<String, String> data = new LinkedHashMap<>(secret.getData() == null ? Map.of() : secret.getData());
    data.put(spec.dataKey(), encode(state.current().value().reveal()));
    putOrRemove(data, spec.nextDataKey(), state.next());
    putOrRemove(data, spec.previousDataKey(), state.previous());
    data.put(ALGORITHM_KEY, encode(state.current().algorithm().name()));
    data.put(EXPIRE_MINUTES_KEY, encode(Integer.toString(tokenMinutes)));
    data.put(JWKS_KEY, encode(JwkSets.toJson(jwkEntries(state))));
    keyPairFiles(data, state.current(), existing);
    secret.setData(data);
    secret.setStringData(null);

    meta.setOwnerReferences(ownerReferences(meta.getOwnerReferences(), owner, formerUid, spec.deletionPolicy(), adopted));
    return secret;
  }

  /**
   * Whether the object was adopted rather than created by the operator: it says so (the annotation
   * {@code jwt.photoapp.io/adopted}), or it is someone else's being taken over now. A restored
   * object (managed for a former uid) keeps what it said.
   */
  public static boolean adopted(io.fabric8.kubernetes.api.model.HasMetadata existing, JwtSecret owner) {
    if (existing == null) {
      return false;
    }
    Map<String, String> a = existing.getMetadata().getAnnotations();
    return (a != null && Labels.TRUE.equals(a.get(Labels.ADOPTED))) || Ownership.of(existing, owner) == Ownership.FOREIGN;
  }

  /**
   * The ownerReferences an owned object carries: others' kept, the JwtSecret's (and a former owner's,
   * after a restore) replaced, and one to the JwtSecret only with {@code deletionPolicy: Delete} on an
   * object the operator created: an adopted one is released, never deleted by the garbage collector.
   */
  public static List<OwnerReference> ownerReferences(List<OwnerReference> existing, JwtSecret owner, String formerUid,
      DeletionPolicy policy, boolean adopted) {
    List<OwnerReference> refs = new ArrayList<>(existing == null ? List.of() : existing);
    refs.removeIf(r -> Objects.equals(r.getUid(), owner.getMetadata().getUid())
        || (formerUid != null && Objects.equals(r.getUid(), formerUid) && "JwtSecret".equals(r.getKind())));
    if (policy == DeletionPolicy.Delete && !adopted) {
      refs.add(ownerReference(owner));
    }
    return refs.isEmpty() ? null : refs;
  }

  /**
   * The Secret as it is once a Retain JwtSecret is deleted: the next key gone from the data and from
   * the JWK set, the operator's label, annotations and ownerReference gone (a reference left behind
   * would let the garbage collector delete the Secret that Retain keeps).
   */
  public static Secret released(Secret existing, String nextDataKey, String ownerUid) {
    Secret secret = new SecretBuilder(existing).build();
    Map<String, String> data = new LinkedHashMap<>(secret.getData() == null ? Map.of() : secret.getData());
    decode(data.remove(nextDataKey)).ifPresent(next -> withoutJwk(data, next));
    secret.setData(data);
    Map<String, String> labels = new HashMap<>(secret.getMetadata().getLabels() == null ? Map.of() : secret.getMetadata().getLabels());
    labels.remove(Labels.MANAGED);
    secret.getMetadata().setLabels(labels.isEmpty() ? null : labels);
    Map<String, String> annotations = new HashMap<>(secret.getMetadata().getAnnotations() == null ? Map.of() : secret.getMetadata().getAnnotations());
    STATE_ANNOTATIONS.forEach(annotations::remove);
    secret.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    List<OwnerReference> refs = new ArrayList<>(secret.getMetadata().getOwnerReferences() == null
        ? List.of() : secret.getMetadata().getOwnerReferences());
    refs.removeIf(r -> Objects.equals(r.getUid(), ownerUid));
    secret.getMetadata().setOwnerReferences(refs.isEmpty() ? null : refs);
    return secret;
  }

  /** Drops every JWK holding this key from the JWK set; a set the operator cannot read stays as it is. */
  private static void withoutJwk(Map<String, String> data, KeyValue key) {
    decodeText(data.get(JWKS_KEY)).ifPresent(json -> {
      try {
        String asymmetric = thumbprintOf(key);
        List<JWK> kept = JWKSet.parse(json).getKeys().stream()
            .filter(k -> k instanceof OctetSequenceKey o
                ? !java.security.MessageDigest.isEqual(o.toByteArray(), key.utf8())
                : asymmetric == null || !asymmetric.equals(thumbprintOf(k)))
            .toList();
        data.put(JWKS_KEY, encode(new JWKSet(kept).toString(false)));
      } catch (ParseException e) {
        // Not a JWK set: nothing of ours to take out of it.
      }
    });
  }

  /** RFC 7638 thumbprint of a key stored as a JWK (an asymmetric key), or null for any other value. */
  private static String thumbprintOf(KeyValue key) {
    try {
      return thumbprintOf(JWK.parse(key.reveal()));
    } catch (ParseException e) {
      return null;
    }
  }

  private static String thumbprintOf(JWK jwk) {
    try {
      return jwk.computeThumbprint().toString();
    } catch (com.nimbusds.jose.JOSEException e) {
      return null;
    }
  }

  /**
   * The current key's private JWK and PEM files, for an asymmetric key. They go when the current key
   * is an HMAC key again; a Secret whose current key never was asymmetric keeps whatever it holds.
   */
  private static void keyPairFiles(Map<String, String> data, StoredKey current, Secret existing) {
    if (current.algorithm().isAsymmetric()) {
      Optional<String> jwk = AsymmetricKeys.privateJwkJson(current.value(), current.algorithm(), current.id());
      Optional<String> privatePem = AsymmetricKeys.privatePem(current.value());
      Optional<String> publicPem = AsymmetricKeys.publicPem(current.value());
      if (jwk.isPresent() && privatePem.isPresent() && publicPem.isPresent()) {
        data.put(PRIVATE_JWK_KEY, encode(jwk.get()));
        data.put(PRIVATE_PEM_KEY, encode(privatePem.get()));
        data.put(PUBLIC_PEM_KEY, encode(publicPem.get()));
        return;
      }
    } else if (existing == null || !currentAlgorithm(existing, current.algorithm()).isAsymmetric()) {
      return;
    }
    // No usable key pair (an HMAC key now, or a value edited into something else): no files for it.
    data.remove(PRIVATE_JWK_KEY);
    data.remove(PRIVATE_PEM_KEY);
    data.remove(PUBLIC_PEM_KEY);
  }

  public static List<JwkEntry> jwkEntries(KeyState state) {
    List<JwkEntry> entries = new ArrayList<>();
    entries.add(new JwkEntry(state.current().value(), state.current().id(), state.current().algorithm(), true));
    state.next().ifPresent(k -> entries.add(new JwkEntry(k.value(), k.id(), k.algorithm(), false)));
    state.previous().ifPresent(k -> entries.add(new JwkEntry(k.value(), k.id(), k.algorithm(), false)));
    return entries;
  }

  /**
   * Whether the Secret's settings follow the spec: the token lifetime the app reads, the
   * reference to the JwtSecret that the deletion policy asks for (Delete only), and the labels and
   * annotations of spec.secret.template. Neither is a key,
   * so no key decision asks to write them.
   */
  public static boolean settingsFollowSpec(Secret secret, EffectiveSpec spec, JwtSecret owner) {
    boolean referenced = secret.getMetadata().getOwnerReferences() != null && secret.getMetadata().getOwnerReferences()
        .stream().anyMatch(r -> Objects.equals(r.getUid(), owner.getMetadata().getUid()));
    String minutes = secret.getData() == null ? null : secret.getData().get(EXPIRE_MINUTES_KEY);
    return referenced == (spec.deletionPolicy() == DeletionPolicy.Delete && !adopted(secret, owner))
        && encode(Integer.toString(spec.tokenLifetimeMinutes())).equals(minutes)
        && carries(secret.getMetadata().getLabels(), spec.secretTemplate().labels())
        && carries(secret.getMetadata().getAnnotations(), spec.secretTemplate().annotations());
  }

  private static boolean carries(Map<String, String> actual, Map<String, String> wanted) {
    Map<String, String> have = actual == null ? Map.of() : actual;
    return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
  }

  public static OwnerReference ownerReference(JwtSecret owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(false)
        .build();
  }

  private static void putOrRemove(Map<String, String> data, String key, Optional<StoredKey> value) {
    if (value.isPresent()) {
      data.put(key, encode(value.get().value().reveal()));
    } else {
      data.remove(key);
    }
  }

  private static void noteChange(List<String> changes, String which, String recorded, String actual) {
    if (recorded != null && !recorded.equals(actual)) {
      changes.add("the " + which + " key changed from key id " + recorded + " to " + actual);
    }
  }

  static String encode(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Optional<KeyValue> decode(String base64) {
    if (base64 == null || base64.isEmpty()) {
      return Optional.empty();
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(base64);
      return bytes.length == 0 ? Optional.empty() : Optional.of(KeyValue.ofUtf8(bytes));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> decodeText(String base64) {
    return decode(base64).map(KeyValue::reveal);
  }

  public static Optional<Instant> parseTime(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text.trim()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
