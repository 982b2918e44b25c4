package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Whose a Secret (or the public keys' ConfigMap) is: ownership holds only when the label, owner and owner UID all match. */
public enum Ownership {
  /** Made by the operator for this JwtSecret. */
  OURS,
  /** Managed by the operator for another JwtSecret (or a copy of its metadata). */
  OTHER_JWTSECRET,
  /** Not the operator's: adoptable only with {@code adopt: true}. */
  FOREIGN;

  public static Ownership of(HasMetadata secret, JwtSecret owner) {
    Map<String, String> labels = secret.getMetadata().getLabels();
    Map<String, String> annotations = secret.getMetadata().getAnnotations();
    boolean labelled = labels != null && Labels.TRUE.equals(labels.get(Labels.MANAGED));
    String ownerName = annotations == null ? null : annotations.get(Labels.OWNER);
    String ownerUid = annotations == null ? null : annotations.get(Labels.OWNER_UID);
    if (labelled && Objects.equals(ownerName, ownerKey(owner))
        && Objects.equals(ownerUid, owner.getMetadata().getUid())) {
      return OURS;
    }
    if (labelled && ownerUid != null && !ownerUid.isBlank()) {
      return OTHER_JWTSECRET;
    }
    return FOREIGN;
  }

  public static String ownerKey(HasMetadata owner) {
    return owner.getMetadata().getNamespace() + "/" + owner.getMetadata().getName();
  }

  /** Why a foreign Secret (or ConfigMap) cannot be adopted for this spec, or null when it can: see {@link AdoptionRules}. */
  public static String adoptionRefusal(HasMetadata object, EffectiveSpec spec) {
    return AdoptionRules.check(object, allowedDataKeys(object, spec), null).map(AdoptionRules.Refusal::message).orElse(null);
  }

  /** The data keys an object this spec takes over may hold: its own keys and outputs. */
  public static Set<String> allowedDataKeys(HasMetadata object, EffectiveSpec spec) {
    return object instanceof ConfigMap ? AdoptionRules.configMapDataKeys()
        : AdoptionRules.secretDataKeys(spec.dataKey(), spec.previousDataKey(), spec.nextDataKey());
  }
}
