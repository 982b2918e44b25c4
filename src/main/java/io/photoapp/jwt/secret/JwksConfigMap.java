package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.keys.JwkSets;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.PublicKeysName;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The ConfigMap {@code <secret name>-jwks}: the public JWK Set of the asymmetric keys the Secret holds
 * (current, next, previous), for services that only verify. It holds no secret and is meant to be
 * served. Owned like the Secret: the managed label, the owner annotations, and an ownerReference
 * with {@code deletionPolicy: Delete}.
 */
public final class JwksConfigMap {
  public static final String SUFFIX = PublicKeysName.SUFFIX;
  public static final String DATA_KEY = "jwks.json";
  public static final int MAX_SECRET_NAME = PublicKeysName.MAX_SECRET_NAME;

  private JwksConfigMap() {}

  public static String nameFor(String secretName) {
    return PublicKeysName.of(secretName);
  }

  /** Whether the state holds a key with a public half, so that the ConfigMap must exist. */
  public static boolean needed(KeyState state) {
    return JwkSets.hasPublicKeys(SecretCodec.jwkEntries(state));
  }

  /** The public JWK Set of the state's asymmetric keys, current first; {@code {"keys":[]}} when it has none. */
  public static String jwks(KeyState state) {
    return JwkSets.publicJson(SecretCodec.jwkEntries(state));
  }

  /** The ConfigMap as it should be for this state: unrelated data, labels and annotations are kept. */
  public static ConfigMap render(ConfigMap existing, KeyState state, EffectiveSpec spec, JwtSecret owner) {
    ConfigMap map = existing == null
        ? new ConfigMapBuilder().withNewMetadata().withName(nameFor(spec.secretName()))
            .withNamespace(owner.getMetadata().getNamespace()).endMetadata().build()
        : new ConfigMapBuilder(existing).build();
    ObjectMeta meta = map.getMetadata();
    Map<String, String> labels = new LinkedHashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
    labels.put(Labels.MANAGED, Labels.TRUE);
    meta.setLabels(labels);
    boolean adopted = SecretCodec.adopted(existing, owner);
    String formerUid = existing == null || existing.getMetadata().getAnnotations() == null ? null
        : existing.getMetadata().getAnnotations().get(Labels.OWNER_UID);
    Map<String, String> annotations = new LinkedHashMap<>(meta.getAnnotations() == null ? Map.of() : meta.getAnnotations());
    if (adopted) {
      annotations.put(Labels.ADOPTED, Labels.TRUE);
    }
    annotations.put(Labels.OWNER, Ownership.ownerKey(owner));
    annotations.put(Labels.OWNER_UID, owner.getMetadata().getUid());
    meta.setAnnotations(annotations);

    Map<String, String> data = new LinkedHashMap<>(map.getData() == null ? Map.of() : map.getData());
    data.put(DATA_KEY, jwks(state));
    map.setData(data);

    meta.setOwnerReferences(SecretCodec.ownerReferences(meta.getOwnerReferences(), owner, formerUid,
        spec.deletionPolicy(), adopted));
    return map;
  }

  /**
   * The ConfigMap once a Retain JwtSecret is deleted: a plain ConfigMap with the public keys the
   * released Secret still holds (the next key goes with it), without the operator's label and annotations.
   */
  public static ConfigMap released(ConfigMap existing, Optional<KeyState> remaining) {
    ConfigMap map = new ConfigMapBuilder(existing).build();
    remaining.ifPresent(state -> {
      Map<String, String> data = new LinkedHashMap<>(map.getData() == null ? Map.of() : map.getData());
      data.put(DATA_KEY, jwks(state));
      map.setData(data);
    });
    Map<String, String> labels = new HashMap<>(map.getMetadata().getLabels() == null ? Map.of() : map.getMetadata().getLabels());
    labels.remove(Labels.MANAGED);
    map.getMetadata().setLabels(labels.isEmpty() ? null : labels);
    Map<String, String> annotations = new HashMap<>(map.getMetadata().getAnnotations() == null ? Map.of() : map.getMetadata().getAnnotations());
    annotations.remove(Labels.OWNER);
    annotations.remove(Labels.OWNER_UID);
    annotations.remove(Labels.ADOPTED);
    map.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    return map;
  }
}
