package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.spec.SpecResolver;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What becomes of a managed Secret (or public-keys ConfigMap) whose recorded owner is not the
 * JwtSecret at hand: taken over by a JwtSecret of the same name (a restore from backup), released
 * as a plain object once its owner is gone (deletionPolicy Retain, with no finalizer), or left alone.
 * Pure: the reconciler gathers what the API knows and acts on the verdict.
 */
public final class Succession {
  private Succession() {}

  /** What is known of the JwtSecret that an object's {@code owner-uid} names. */
  public enum FormerOwner {
    /** A JwtSecret with that uid exists. */
    LIVE,
    /** No JwtSecret has that uid, but one of the recorded name exists (with another uid): a restore. */
    REPLACED,
    /** No JwtSecret of that uid or of that name exists. */
    GONE
  }

  /** A claim of a JwtSecret on a Secret that names it as owner by name, but another uid. */
  public sealed interface Claim {}

  /** Take it over, without a rotation: the recorded owner no longer exists. */
  public record Restore(String formerUid) implements Claim {}

  /** It belongs to another (live) JwtSecret, or names another one: {@code SecretConflict}. */
  public record Conflict(String message) implements Claim {}

  /** It names this JwtSecret, but breaks an adoption rule: {@code AdoptionRefused}. */
  public record Refused(AdoptionRules.Refusal refusal) implements Claim {}

  /**
   * Whether {@code claimant} takes over an object labelled as managed for another uid.
   *
   * @param formerOwnerLive a JwtSecret with the recorded uid exists (in the cache, or the API says so)
   */
  public static Claim claim(HasMetadata object, JwtSecret claimant, boolean formerOwnerLive, Set<String> allowedDataKeys) {
    String kind = object instanceof ConfigMap ? "ConfigMap " : "Secret ";
    Map<String, String> a = annotations(object);
    String formerUid = a.get(Labels.OWNER_UID);
    if (!Ownership.ownerKey(claimant).equals(a.get(Labels.OWNER)) || formerUid == null || formerUid.isBlank()
        || formerOwnerLive || formerUid.equals(claimant.getMetadata().getUid())) {
      return new Conflict(kind + object.getMetadata().getName() + " is managed for another JwtSecret");
    }
    return AdoptionRules.check(object, allowedDataKeys, formerUid).<Claim>map(Refused::new)
        .orElseGet(() -> new Restore(formerUid));
  }

  /**
   * Whether an object that was {@code deleted}'s is released now that it is gone: only one it owned,
   * that the garbage collector will not delete (no ownerReference to it: Retain, or adopted), and
   * that no JwtSecret of the same name is about to take over (a re-create, a restore).
   */
  public static boolean releaseOnOwnerDeleted(HasMetadata object, JwtSecret deleted, boolean sameNameLive) {
    if (Ownership.of(object, deleted) != Ownership.OURS || sameNameLive) {
      return false;
    }
    return Optional.ofNullable(object.getMetadata().getOwnerReferences()).orElse(List.of()).stream()
        .noneMatch(r -> Objects.equals(r.getUid(), deleted.getMetadata().getUid()));
  }

  /**
   * Whether a managed object whose owner is gone is released (found at start-up, or when it appears):
   * only one that claims an owner in its own namespace, has no ownerReference (the garbage collector's,
   * or another tool's), and looks as the operator leaves its own (the adoption rules hold for the data
   * keys it records). A forged label never makes the operator write to another tool's Secret.
   */
  public static boolean releaseOrphan(HasMetadata object, FormerOwner former) {
    if (former != FormerOwner.GONE || recordedOwner(object).isEmpty()) {
      return false;
    }
    if (object.getMetadata().getOwnerReferences() != null && !object.getMetadata().getOwnerReferences().isEmpty()) {
      return false;
    }
    Set<String> allowed = object instanceof ConfigMap ? AdoptionRules.configMapDataKeys() : recordedSecretKeys(object);
    return AdoptionRules.check(object, allowed, null).isEmpty();
  }

  /**
   * The JwtSecret a managed object names as owner, as (namespace, name), only when that namespace is
   * the object's own: an annotation naming another namespace is a forgery and maps to nothing.
   */
  public static Optional<OwnerName> recordedOwner(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    if (labels == null || !Labels.TRUE.equals(labels.get(Labels.MANAGED))) {
      return Optional.empty();
    }
    Map<String, String> a = annotations(object);
    String owner = a.get(Labels.OWNER);
    String uid = a.get(Labels.OWNER_UID);
    if (owner == null || uid == null || uid.isBlank()) {
      return Optional.empty();
    }
    return ownerIn(owner, object.getMetadata().getNamespace()).map(name -> new OwnerName(object.getMetadata().getNamespace(), name, uid));
  }

  /** The name part of an owner annotation {@code <namespace>/<name>}, only when the namespace is {@code namespace}. */
  public static Optional<String> ownerIn(String ownerAnnotation, String namespace) {
    int slash = ownerAnnotation == null ? -1 : ownerAnnotation.indexOf('/');
    if (slash < 0 || namespace == null || !namespace.equals(ownerAnnotation.substring(0, slash))) {
      return Optional.empty();
    }
    String name = ownerAnnotation.substring(slash + 1);
    return name.isEmpty() || name.contains("/") ? Optional.empty() : Optional.of(name);
  }

  /** A recorded owner: namespace, name and uid. */
  public record OwnerName(String namespace, String name, String uid) {}

  /**
   * The data key a released Secret's next key is under: as the operator recorded it on the Secret,
   * else {@code fallback} (the spec's), else the default.
   */
  public static String recordedNextKey(HasMetadata secret, String fallback) {
    String[] recorded = annotations(secret).getOrDefault(Labels.DATA_KEYS, "").split(",");
    return recorded.length == 3 && !recorded[2].isBlank() ? recorded[2]
        : fallback != null ? fallback : SpecResolver.DEFAULT_NEXT_DATA_KEY;
  }

  private static Set<String> recordedSecretKeys(HasMetadata secret) {
    String[] recorded = annotations(secret).getOrDefault(Labels.DATA_KEYS, "").split(",");
    return recorded.length == 3
        ? AdoptionRules.secretDataKeys(recorded[0], recorded[1], recorded[2])
        : AdoptionRules.secretDataKeys(SpecResolver.DEFAULT_DATA_KEY, SpecResolver.DEFAULT_PREVIOUS_DATA_KEY,
            SpecResolver.DEFAULT_NEXT_DATA_KEY);
  }

  private static Map<String, String> annotations(HasMetadata object) {
    return object.getMetadata().getAnnotations() == null ? Map.of() : object.getMetadata().getAnnotations();
  }
}
