package io.photoapp.jwt.audit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.List;

/** Pod specs for the workload rules' tests, naming only what a case needs. */
final class Pods {
  static final String STRONG = "5mX0c3QkzT1aQ9wAZt1aQ9wLp0sXr2Bqk3Hq9-Zt1aQ9wLp0sXr2Bq_Hq9-Zt1aQ9w";

  private Pods() {}

  static EnvVar literal(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key)
        .endSecretKeyRef().endValueFrom().build();
  }

  static Container container(String name, EnvVar... env) {
    return new ContainerBuilder().withName(name).withImage("photoapp").withEnv(env).build();
  }

  static Container envFrom(String name, String secret) {
    return new ContainerBuilder().withName(name).addNewEnvFrom().withNewSecretRef().withName(secret).endSecretRef()
        .endEnvFrom().build();
  }

  static Volume secretVolume(String name, String secret, String... items) {
    VolumeBuilder v = new VolumeBuilder().withName(name);
    var s = v.withNewSecret().withSecretName(secret);
    for (String item : items) {
      s.addNewItem().withKey(item).withPath(item).endItem();
    }
    return s.endSecret().build();
  }

  static PodSpec spec(Container... containers) {
    return new PodSpecBuilder().withContainers(containers).build();
  }

  static PodSpec spec(List<Volume> volumes, Container... containers) {
    return new PodSpecBuilder().withContainers(containers).withVolumes(volumes).build();
  }

  static WorkloadFacts deployment(String namespace, String name, PodSpec spec) {
    return WorkloadFacts.of("Deployment", namespace, name, spec);
  }
}
