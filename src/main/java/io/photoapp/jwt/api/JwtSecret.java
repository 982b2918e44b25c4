package io.photoapp.jwt.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import java.util.ArrayList;
import java.util.List;

/** A JWT signing key that the operator keeps in a Secret and rotates by policy. */
@Group(JwtSecret.GROUP)
@Version(JwtSecret.VERSION)
@Kind("JwtSecret")
@Plural("jwtsecrets")
@ShortNames("jwts")
@Categories("jwt")
@AdditionalPrinterColumn(name = "Environment", jsonPath = ".spec.environment", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Key ID", jsonPath = ".status.keyId", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Rotation", jsonPath = ".status.lastRotationTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Next Rotation", jsonPath = ".status.nextRotationTime", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class JwtSecret extends CustomResource<JwtSecretSpec, JwtSecretStatus> implements Namespaced {
  public static final String GROUP = "jwt.photoapp.io";
  public static final String VERSION = "v1alpha1";
  public static final String CRD_NAME = "jwtsecrets." + GROUP;

  /**
   * Read without managedFields and kubectl's last-applied copy ({@link io.photoapp.jwt.api.ServerFields}):
   * every copy in this process, the informer's cache first, is spared them.
   */
  @Override
  public void setMetadata(io.fabric8.kubernetes.api.model.ObjectMeta metadata) {
    super.setMetadata(io.photoapp.jwt.api.ServerFields.withoutServerCopies(metadata));
  }

  /** Fields this version could not read (read as absent); see {@link TolerantField} and {@link LenientEnum}. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  private transient List<UnreadableField> unreadable = new ArrayList<>();

  @Override
  protected JwtSecretStatus initStatus() {
    return new JwtSecretStatus();
  }

  @Override
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = TolerantField.class)
  public void setSpec(JwtSecretSpec spec) {
    super.setSpec(spec);
  }

  @Override
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = TolerantField.class)
  public void setStatus(JwtSecretStatus status) {
    super.setStatus(status);
  }

  /** The spec's fields that this version of the operator could not read (read as null), as "path problem". */
  public List<String> unrecognizedValues() {
    return unreadableFields().stream().filter(UnreadableField::inSpec).map(UnreadableField::toString).toList();
  }

  /** Every field, of spec or status, that this version of the operator could not read. */
  public List<UnreadableField> unreadableFields() {
    return unreadable == null ? List.of() : List.copyOf(unreadable);
  }

  void noteUnreadable(UnreadableField field) {
    if (unreadable == null) {
      unreadable = new ArrayList<>();
    }
    unreadable.add(field);
  }

  /** A copy keeps what its original could not read (the SDK clones resources through JSON, which drops it). */
  public void keepUnrecognizedOf(JwtSecret original) {
    unreadable = new ArrayList<>(original.unreadableFields());
  }
}
