package io.photoapp.jwt.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JavaType;
import io.fabric8.kubernetes.api.builder.Editable;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import org.junit.jupiter.api.Test;

/** A model class's type leaves out {@code Editable<ItsBuilder>} (whose resolution loads the builder) and keeps the rest. */
class ModelTypesTest {
  final ModelTypes types = new ModelTypes();

  @Test
  void aModelClassIsResolvedWithoutItsBuilder() {
    JavaType affinity = types.constructType(Affinity.class);

    assertThat(affinity.getInterfaces()).extracting(JavaType::getRawClass).containsExactly(KubernetesResource.class);
    assertThat(affinity.findSuperType(Editable.class)).isNull();
    // Jackson's own factory resolves it, builder and all.
    assertThat(com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance().constructType(Affinity.class)
        .findSuperType(Editable.class)).isNotNull();
  }

  @Test
  void aResourceKeepsItsOtherInterfaces() {
    assertThat(types.constructType(Deployment.class).findSuperType(HasMetadata.class)).isNotNull();
  }

  @Test
  void aListKeepsItsItemType() {
    JavaType list = types.constructType(DeploymentList.class).findSuperType(KubernetesResourceList.class);

    assertThat(list.containedType(0).getRawClass()).isEqualTo(Deployment.class);
  }

  @Test
  void theOperatorsSerializationUsesThem() {
    JavaType list = (JavaType) OperatorSerialization.create().constructParametricType(java.util.List.class, Affinity.class);

    assertThat(list.containedType(0).findSuperType(Editable.class)).isNull();
  }
}
