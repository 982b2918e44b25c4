package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.ServerFields;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator's own kinds are read without managedFields and kubectl's last-applied copy, wherever they are read. */
class ServerFieldsReadTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final String NS = "photoapp";
  private static final String APPLIED = "{\"kind\":\"JwtSecret\"}";

  @Test
  void everyReadOfTheOperatorsKindsDropsThemAndAJsonCloneHasNoneEither() {
    ObjectMeta meta = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("app").withNamespace(NS)
        .withResourceVersion("42").withManagedFields(ServerFieldsCacheTest.managedFields())
        .addToAnnotations(ServerFields.LAST_APPLIED, APPLIED).addToAnnotations("keep", "me").addToLabels("app", "photo").build();
    String json = Serialization.asJson(Map.of("apiVersion", "jwt.photoapp.io/v1alpha1", "kind", "JwtSecret", "metadata", meta));
    for (Class<? extends HasMetadata> kind : List.of(JwtSecret.class, io.photoapp.jwt.api.JwtSecretStore.class,
        io.photoapp.jwt.api.ClusterJwtSecretStore.class)) {
      HasMetadata read = SERIALIZATION.unmarshal(json, kind);
      assertThat(read.getMetadata().getManagedFields()).as(kind.getSimpleName()).isNull();
      assertThat(read.getMetadata().getAnnotations()).as(kind.getSimpleName()).isEqualTo(Map.of("keep", "me"));
      assertThat(read.getMetadata().getLabels()).as(kind.getSimpleName()).isEqualTo(Map.of("app", "photo"));
      assertThat(read.getMetadata().getResourceVersion()).isEqualTo("42");
      HasMetadata clone = SERIALIZATION.clone(read);
      assertThat(clone.getMetadata().getManagedFields()).isNull();
      assertThat(clone.getMetadata().getResourceVersion()).isEqualTo("42");
    }
  }
}
