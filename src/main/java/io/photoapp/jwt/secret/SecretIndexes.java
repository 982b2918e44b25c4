package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.spec.SpecResolver;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Indexes of the managed Secrets' cache, so that a reconcile looks a Secret up by key rather than
 * scanning every Secret the operator manages (that made each reconcile O(N), and a full resync
 * O(N²)). The informer computes them once per Secret version.
 */
public final class SecretIndexes {
  /** The id of the Secret's current key, computed from its data. */
  public static final String CURRENT_KEY_ID = "current-key-id";
  /** The uid of the JwtSecret the Secret's annotations name as its owner. */
  public static final String OWNER_UID = "owner-uid";

  /**
   * Longest data value (base64 characters) whose key id is indexed: far above any key the operator
   * makes (4,096 characters, or a private JWK). A tenant's labelled Secret of a MiB is not decoded
   * and hashed on the watch's thread: fabric8 reads the next events while this one is processed, so
   * slow processing made them pile up in the heap (bench, 4c).
   */
  static final int MAX_INDEXED_VALUE = 64 * 1024;

  private SecretIndexes() {}

  public static Map<String, Function<Secret, List<String>>> all() {
    return Map.of(CURRENT_KEY_ID, SecretIndexes::currentKeyId, OWNER_UID, SecretIndexes::ownerUid);
  }

  /**
   * The current key's id (RFC 7638), computed from the data as DESIGN asks: never taken from the
   * key-id annotation, which anyone who can edit the Secret can set; an asymmetric key filed by its public
   * and private parts together ({@link KeyIds#holding}: the public part alone is public, and must not make
   * another JwtSecret's key a duplicate). Empty for a Secret without a
   * readable key. An index function must not throw: the informer would stop.
   */
  public static List<String> currentKeyId(Secret s) {
    if (s instanceof PrunedSecret pruned) {
      return pruned.currentKeyIds();
    }
    try {
      Map<String, String> a = s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
      String dataKey = a.getOrDefault(Labels.DATA_KEYS, SpecResolver.DEFAULT_DATA_KEY).split(",")[0];
      String value = s.getData() == null ? null : s.getData().get(dataKey);
      if (value == null || value.length() > MAX_INDEXED_VALUE) {
        return List.of();
      }
      return List.of(KeyIds.holding(KeyValue.ofUtf8(Base64.getDecoder().decode(value)),
          SecretCodec.currentAlgorithm(s, Algorithm.HS256)));
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  public static List<String> ownerUid(Secret s) {
    Map<String, String> a = s.getMetadata().getAnnotations();
    String uid = a == null ? null : a.get(Labels.OWNER_UID);
    return uid == null || uid.isBlank() ? List.of() : List.of(uid);
  }
}
