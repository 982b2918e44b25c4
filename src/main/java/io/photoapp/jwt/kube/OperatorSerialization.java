package io.photoapp.jwt.kube;

import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.NamedExtension;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.ClusterJwtSecretStore;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStore;
import java.util.List;

/**
 * The operator's JSON (de)serialization, for the clients it builds: fabric8's, without the class path scan.
 *
 * <p>fabric8's default serialization finds the class of every {@code kind} it may meet with a ServiceLoader
 * scan that loads every model class on the class path (Gateway API and the rest: 321 classes the operator
 * never reads, about 2.5 MiB of its CDS archive). Here it knows only the kinds below. What they serve: an
 * object read where the type is not fixed, mainly a watch event's {@code object}. Without an entry, such an
 * object is read as a {@link io.fabric8.kubernetes.api.model.GenericKubernetesResource}; a typed watch then
 * converts it to its class a second time, and a watch's ERROR event would not be a {@link Status}, which
 * the watch needs to see a 410 Gone and list afresh. Lists and single reads are read into their own class
 * and need no entry. Argo Rollouts stay generic resources, as with the scan (fabric8 has no class for them).
 */
public final class OperatorSerialization {
  /** Every kind the operator watches, reads or is answered with. */
  static final List<Class<? extends KubernetesResource>> KINDS = List.of(Status.class, Secret.class, ConfigMap.class,
      Namespace.class, Event.class, Lease.class, Deployment.class, StatefulSet.class, DaemonSet.class, JwtSecret.class,
      JwtSecretStore.class, ClusterJwtSecretStore.class);

  private OperatorSerialization() {}

  /**
   * Reads a kubeconfig's extensions as plain maps: fabric8 reads every kubeconfig with its shared mapper
   * ({@code Serialization}), where they are typed as resources, and the first read runs the class path scan
   * for them, whatever client is built next. Neither fabric8 nor the operator reads an extension. Call it before
   * the first kubeconfig is read (Main does); the in-cluster configuration reads none.
   */
  public static void untypedKubeconfigExtensions() {
    Serialization.jsonMapper().addMixIn(NamedExtension.class, UntypedExtension.class);
  }

  /** {@link NamedExtension}'s {@code extension} without fabric8's resource deserializer. */
  abstract static class UntypedExtension {
    @JsonDeserialize(using = JsonDeserializer.None.class)
    Object extension;

    @JsonDeserialize(using = JsonDeserializer.None.class)
    abstract void setExtension(Object extension);
  }

  /**
   * A new serialization knowing {@link #KINDS}, reading only the fields in {@link ReadFields}, and without the model's
   * builders ({@link ModelTypes}), for {@code KubernetesClientBuilder.withKubernetesSerialization}.
   */
  public static KubernetesSerialization create() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.setTypeFactory(new ModelTypes());
    mapper.registerModule(ReadFields.module());
    KubernetesSerialization serialization = new KubernetesSerialization(mapper, false);
    KINDS.forEach(serialization::registerKubernetesResource);
    return serialization;
  }
}
