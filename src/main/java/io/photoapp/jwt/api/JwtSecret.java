package io.photoapp.jwt.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;

/** A JWT signing key that the operator keeps in a Secret and rotates by policy. */
@Group(JwtSecret.GROUP)
@Version(JwtSecret.VERSION)
@Kind("JwtSecret")
@Plural("jwtsecrets")
@ShortNames("jwts")
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

  @Override
  protected JwtSecretStatus initStatus() {
    return new JwtSecretStatus();
  }
}
