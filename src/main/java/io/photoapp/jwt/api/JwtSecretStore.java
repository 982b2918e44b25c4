package io.photoapp.jwt.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A secret manager that the JwtSecrets of one namespace may push to: its address, its prefix and the
 * identity the operator uses for it. Defined by whoever may define stores in the namespace.
 */
@Group(JwtSecret.GROUP)
@Version(JwtSecret.VERSION)
@Kind("JwtSecretStore")
@Plural("jwtsecretstores")
@ShortNames("jss")
@io.fabric8.kubernetes.model.annotation.Categories("jwt")
@AdditionalPrinterColumn(name = "Store", jsonPath = ".status.provider", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class JwtSecretStore extends CustomResource<StoreSpec, StoreStatus> implements Namespaced {
  public static final String CRD_NAME = "jwtsecretstores." + JwtSecret.GROUP;

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
  public void setSpec(StoreSpec spec) {
    super.setSpec(spec);
  }

  @Override
  protected StoreStatus initStatus() {
    return new StoreStatus();
  }
}
