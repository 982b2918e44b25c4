package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which existing Secrets (and public-keys ConfigMaps) the operator may take over: with
 * {@code adopt: true}, on a restore, or to release one whose owner is gone. {@code adopt: true} is
 * written by a namespace user, so it must never become write access to a Secret that another tool
 * manages or that holds anything but this JwtSecret's keys. Messages name rules and keys, never a value.
 */
public final class AdoptionRules {
  /** The name this operator puts in {@code app.kubernetes.io/managed-by}; any other value is another manager. */
  public static final String MANAGER_NAME = "jwt-secret-operator";
  /** The label and annotation key Kubernetes' recommended labels use to name an object's manager. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /**
   * Marks of another manager, in one place (the README lists them): a label or annotation whose key
   * has one of these prefixes (domain or sub-domain), or is one of {@link #OTHER_MANAGER_KEYS}.
   * cert-manager, Helm (release labels and annotations), External Secrets, Vault Secrets Operator.
   */
  public static final List<String> OTHER_MANAGER_DOMAINS = List.of(
      "cert-manager.io", "helm.sh", "meta.helm.sh", "reconcile.external-secrets.io", "secrets.hashicorp.com");
  /** Exact keys that mark another manager: service-account token Secrets. */
  public static final List<String> OTHER_MANAGER_KEYS = List.of("kubernetes.io/service-account.name");

  /** Rule names, as messages and the README give them. */
  public static final String RULE_IMMUTABLE = "not-immutable";
  public static final String RULE_TYPE = "type-opaque";
  public static final String RULE_OWNER_REFERENCES = "no-owner-references";
  public static final String RULE_OTHER_MANAGER = "no-other-manager";
  public static final String RULE_DATA_KEYS = "only-jwt-data-keys";

  /** Names a refusal lists at most, and the longest name it gives whole (a data key may have 253 characters). */
  private static final int LISTED = 20;
  private static final int LONGEST_NAME = 253;

  private AdoptionRules() {}

  /** Why an object cannot be taken over: the rule it breaks, and a message naming it (never a value). */
  public record Refusal(String rule, String message) {}

  /** The data keys a Secret may hold to be adopted: the three the JwtSecret names, and the operator's outputs. */
  public static Set<String> secretDataKeys(String current, String previous, String next) {
    Set<String> keys = new LinkedHashSet<>(List.of(current, previous, next));
    keys.addAll(List.of(SecretCodec.ALGORITHM_KEY, SecretCodec.EXPIRE_MINUTES_KEY, SecretCodec.JWKS_KEY,
        SecretCodec.PRIVATE_JWK_KEY, SecretCodec.PRIVATE_PEM_KEY, SecretCodec.PUBLIC_PEM_KEY));
    return keys;
  }

  /** The data keys a public-keys ConfigMap may hold to be adopted. */
  public static Set<String> configMapDataKeys() {
    return Set.of(JwksConfigMap.DATA_KEY);
  }

  /**
   * The first rule the object breaks, or empty when it may be taken over.
   *
   * @param allowedDataKeys see {@link #secretDataKeys} and {@link #configMapDataKeys}
   * @param formerOwnerUid on a restore, the uid the object's owner annotation records: an
   *     ownerReference to that JwtSecret (a Secret made with {@code deletionPolicy: Delete}) is the
   *     operator's own and does not count; null for an adoption, where any ownerReference refuses
   */
  public static Optional<Refusal> check(HasMetadata object, Set<String> allowedDataKeys, String formerOwnerUid) {
    String kind = object instanceof ConfigMap ? "ConfigMap" : "Secret";
    String name = kind + " " + object.getMetadata().getName();
    boolean immutable = object instanceof ConfigMap c ? Boolean.TRUE.equals(c.getImmutable())
        : object instanceof Secret s && Boolean.TRUE.equals(s.getImmutable());
    if (immutable) {
      return refuse(RULE_IMMUTABLE, name + " is immutable and cannot be adopted");
    }
    if (object instanceof Secret s && s.getType() != null && !s.getType().isBlank() && !"Opaque".equals(s.getType())) {
      return refuse(RULE_TYPE, name + " has type " + cut(s.getType()) + "; only a Secret of type Opaque can be adopted");
    }
    List<String> references = new ArrayList<>();
    for (OwnerReference ref : Optional.ofNullable(object.getMetadata().getOwnerReferences()).orElse(List.of())) {
      boolean formerOwner = formerOwnerUid != null && Objects.equals(ref.getUid(), formerOwnerUid)
          && "JwtSecret".equals(ref.getKind());
      if (!formerOwner) {
        references.add(cut(ref.getKind()) + " " + cut(ref.getName()));
      }
    }
    if (!references.isEmpty()) {
      return refuse(RULE_OWNER_REFERENCES, name + " is owned by " + listed(references)
          + " and cannot be adopted: only an object without ownerReferences can be");
    }
    Set<String> marks = new TreeSet<>();
    marks.addAll(otherManagerKeys(object.getMetadata().getLabels(), "label "));
    marks.addAll(otherManagerKeys(object.getMetadata().getAnnotations(), "annotation "));
    if (!marks.isEmpty()) {
      return refuse(RULE_OTHER_MANAGER, name + " is managed by another tool (" + listed(marks)
          + ") and cannot be adopted");
    }
    Set<String> extra = new TreeSet<>();
    if (object instanceof Secret s) {
      extra.addAll(keysOf(s.getData()));
      extra.addAll(keysOf(s.getStringData()));
    } else if (object instanceof ConfigMap c) {
      extra.addAll(keysOf(c.getData()));
      extra.addAll(keysOf(c.getBinaryData()));
    }
    extra.removeAll(allowedDataKeys);
    if (!extra.isEmpty()) {
      return refuse(RULE_DATA_KEYS, name + " holds data keys the JwtSecret does not name: " + listed(extra)
          + "; move them to another " + kind + " to adopt it");
    }
    return Optional.empty();
  }

  /** The label or annotation keys (prefixed with {@code what}) that mark another manager. */
  static List<String> otherManagerKeys(Map<String, String> entries, String what) {
    if (entries == null) {
      return List.of();
    }
    List<String> found = new ArrayList<>();
    entries.forEach((key, value) -> {
      if (marksOtherManager(key, value)) {
        found.add(what + key);
      }
    });
    return found;
  }

  static boolean marksOtherManager(String key, String value) {
    if (MANAGED_BY.equals(key)) {
      return !MANAGER_NAME.equals(value);
    }
    if (OTHER_MANAGER_KEYS.contains(key)) {
      return true;
    }
    int slash = key.indexOf('/');
    if (slash < 0) {
      return false;
    }
    String domain = key.substring(0, slash);
    return OTHER_MANAGER_DOMAINS.stream().anyMatch(d -> domain.equals(d) || domain.endsWith("." + d));
  }

  /**
   * At most {@link #LISTED} names, each cut to {@link #LONGEST_NAME} characters, then how many more: the
   * message goes into status and Events, and a Secret may hold thousands of keys (800 KB of names).
   */
  private static String listed(java.util.Collection<String> names) {
    List<String> shown = names.stream().limit(LISTED).map(AdoptionRules::cut).toList();
    return String.join(", ", shown) + (names.size() > LISTED ? ", and " + (names.size() - LISTED) + " more" : "");
  }

  private static String cut(String name) {
    return name == null || name.length() <= LONGEST_NAME ? name : name.substring(0, LONGEST_NAME) + "...";
  }

  private static Set<String> keysOf(Map<String, String> map) {
    return map == null ? Set.of() : map.keySet();
  }

  private static Optional<Refusal> refuse(String rule, String message) {
    return Optional.of(new Refusal(rule, "adoption refused (rule " + rule + "): " + message));
  }
}
