package io.photoapp.jwt.testing;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Builds a Secret someone other than the operator made (a hand-made one, another tool's, a copy):
 * {@code Secrets.named("app").in(ns).opaque().data("jwt-secret-key", key).immutable()}. Data values
 * are given in plain text and stored base64-encoded, as the API holds them.
 */
public final class Secrets {
  private final SecretBuilder b;

  private Secrets(SecretBuilder b) {
    this.b = b;
  }

  public static Secrets named(String name) {
    return new Secrets(new SecretBuilder().withNewMetadata().withName(name).endMetadata());
  }

  /** A copy of a Secret as {@code kubectl get -o yaml | kubectl apply} makes it: no uid, version or creation time. */
  public static Secrets copyOf(Secret original) {
    return new Secrets(new SecretBuilder(original).editMetadata().withResourceVersion(null).withUid(null)
        .withCreationTimestamp(null).endMetadata());
  }

  public Secrets renamed(String name) {
    b.editMetadata().withName(name).endMetadata();
    return this;
  }

  public Secrets in(String namespace) {
    b.editMetadata().withNamespace(namespace).endMetadata();
    return this;
  }

  /** The namespace, or null while none is set. */
  public String namespace() {
    return b.buildMetadata().getNamespace();
  }

  public Secrets opaque() {
    return type("Opaque");
  }

  public Secrets type(String type) {
    b.withType(type);
    return this;
  }

  /** A data entry, given in plain text. */
  public Secrets data(String key, String value) {
    b.addToData(key, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  /** Data entries in the order the map gives them, in plain text. */
  public Secrets data(Map<String, String> entries) {
    entries.forEach(this::data);
    return this;
  }

  public Secrets label(String key, String value) {
    b.editMetadata().addToLabels(key, value).endMetadata();
    return this;
  }

  public Secrets annotate(String key, String value) {
    b.editMetadata().addToAnnotations(key, value).endMetadata();
    return this;
  }

  public Secrets immutable() {
    b.withImmutable(true);
    return this;
  }

  /** An ownerReference naming a controller of another kind. */
  public Secrets controlledBy(String apiVersion, String kind, String name, String uid) {
    b.editMetadata().addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion(apiVersion).withKind(kind)
        .withName(name).withUid(uid).withController(true).build()).endMetadata();
    return this;
  }

  /** Anything else a test alone needs, on the fabric8 builder. */
  public Secrets with(java.util.function.UnaryOperator<SecretBuilder> change) {
    return new Secrets(change.apply(b));
  }

  public Secret build() {
    return b.build();
  }
}
