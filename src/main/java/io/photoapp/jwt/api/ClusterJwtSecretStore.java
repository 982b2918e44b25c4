package io.photoapp.jwt.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A secret manager that the JwtSecrets of the namespaces its {@code spec.conditions} match may push
 * to. Cluster-scoped: defined by a cluster admin, who alone may let the operator use its own identity.
 */
@Group(JwtSecret.GROUP)
@Version(JwtSecret.VERSION)
@Kind("ClusterJwtSecretStore")
@Plural("clusterjwtsecretstores")
@ShortNames("cjss")
@io.fabric8.kubernetes.model.annotation.Categories("jwt")
@AdditionalPrinterColumn(name = "Store", jsonPath = ".status.provider", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class ClusterJwtSecretStore extends CustomResource<ClusterStoreSpec, StoreStatus> {
  public static final String CRD_NAME = "clusterjwtsecretstores." + JwtSecret.GROUP;

  /**
   * Read without managedFields and kubectl's last-applied copy ({@link io.photoapp.jwt.api.ServerFields}):
   * every copy in this process, the informer's cache first, is spared them.
   */
  @Override
  public void setMetadata(io.fabric8.kubernetes.api.model.ObjectMeta metadata) {
    super.setMetadata(io.photoapp.jwt.api.ServerFields.withoutServerCopies(metadata));
  }

  @Override
  @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = TolerantStoreSpec.class)
  public void setSpec(ClusterStoreSpec spec) {
    super.setSpec(spec);
  }

  @Override
  protected StoreStatus initStatus() {
    return new StoreStatus();
  }
}
