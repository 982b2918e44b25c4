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

  /** Values of enum fields this version does not know, as "path problem"; see {@link LenientEnum}. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  private transient List<String> unrecognized = new ArrayList<>();

  @Override
  protected JwtSecretStatus initStatus() {
    return new JwtSecretStatus();
  }

  /** The spec's values that this version of the operator does not know (read as null). */
  public List<String> unrecognizedValues() {
    return unrecognized == null ? List.of() : List.copyOf(unrecognized);
  }

  void noteUnrecognized(String problem) {
    if (unrecognized == null) {
      unrecognized = new ArrayList<>();
    }
    unrecognized.add(problem);
  }

  /** A copy keeps what its original could not read (the SDK clones resources through JSON, which drops it). */
  public void keepUnrecognizedOf(JwtSecret original) {
    unrecognized = new ArrayList<>(original.unrecognizedValues());
  }
}
