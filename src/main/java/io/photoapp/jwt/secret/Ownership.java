package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import java.util.Map;
import java.util.Objects;

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

  /** Why a foreign Secret (or ConfigMap) cannot be adopted, or null when it can. */
  public static String adoptionRefusal(HasMetadata secret, JwtSecret owner) {
    String kind = secret instanceof ConfigMap ? "ConfigMap" : "Secret";
    boolean immutable = secret instanceof ConfigMap c ? Boolean.TRUE.equals(c.getImmutable())
        : secret instanceof Secret s && Boolean.TRUE.equals(s.getImmutable());
    if (immutable) {
      return kind + " " + secret.getMetadata().getName() + " is immutable and cannot be adopted";
    }
    if (secret.getMetadata().getOwnerReferences() != null) {
      for (OwnerReference ref : secret.getMetadata().getOwnerReferences()) {
        if (Boolean.TRUE.equals(ref.getController()) && !Objects.equals(ref.getUid(), owner.getMetadata().getUid())) {
          return kind + " " + secret.getMetadata().getName() + " is controlled by " + ref.getKind() + " "
              + ref.getName() + " and cannot be adopted";
        }
      }
    }
    return null;
  }
}
