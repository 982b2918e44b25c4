package io.photoapp.jwt.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Map;

/**
 * One immutable empty list or map in place of the empty {@code ArrayList} or {@code LinkedHashMap} that the fabric8
 * model's constructors give every list and map field, for the objects the caches keep (issue #19). At 1,000
 * JwtSecrets with their Secrets and Deployments, a heap dump counted 54,000 empty collections, 2.1 MB of a 24 MB live
 * heap, most of them in the caches' copies: an object's own {@code additionalProperties}, a Secret's
 * {@code stringData}, metadata's finalizers, owner references and managed fields, and a pod spec's and container's
 * fields the operator never reads.
 *
 * <p>A cached object is read, never changed: a write starts from a builder's copy (whose collections are its own
 * and mutable) or is a patch built as a string (ArchitectureTest), so a write into a shared empty, which would
 * throw, is a bug that would also have changed the cache under every other reader. Only empty collections are
 * replaced: what an object holds is untouched, and a replaced one reads, compares ({@code equals}) and serializes
 * as before.
 */
public final class SharedEmpties {
  private SharedEmpties() {}

  /** The metadata's empty collections, in place. */
  public static ObjectMeta metadata(ObjectMeta m) {
    if (m != null) {
      m.setLabels(map(m.getLabels()));
      m.setAnnotations(map(m.getAnnotations()));
      m.setFinalizers(list(m.getFinalizers()));
      m.setOwnerReferences(list(m.getOwnerReferences()));
      m.setManagedFields(list(m.getManagedFields()));
      m.setAdditionalProperties(map(m.getAdditionalProperties()));
    }
    return m;
  }

  /** A Secret's and its metadata's empty collections, in place. */
  public static Secret secret(Secret s) {
    metadata(s.getMetadata());
    s.setData(map(s.getData()));
    s.setStringData(map(s.getStringData()));
    s.setAdditionalProperties(map(s.getAdditionalProperties()));
    return s;
  }

  /** A ConfigMap's and its metadata's empty collections, in place. */
  public static ConfigMap configMap(ConfigMap c) {
    metadata(c.getMetadata());
    c.setData(map(c.getData()));
    c.setBinaryData(map(c.getBinaryData()));
    c.setAdditionalProperties(map(c.getAdditionalProperties()));
    return c;
  }

  /** A pod spec's empty collections, in place (not its containers': see {@link #container}). */
  public static PodSpec podSpec(PodSpec s) {
    if (s != null) {
      s.setContainers(list(s.getContainers()));
      s.setInitContainers(list(s.getInitContainers()));
      s.setEphemeralContainers(list(s.getEphemeralContainers()));
      s.setVolumes(list(s.getVolumes()));
      s.setHostAliases(list(s.getHostAliases()));
      s.setImagePullSecrets(list(s.getImagePullSecrets()));
      s.setReadinessGates(list(s.getReadinessGates()));
      s.setResourceClaims(list(s.getResourceClaims()));
      s.setSchedulingGates(list(s.getSchedulingGates()));
      s.setTolerations(list(s.getTolerations()));
      s.setTopologySpreadConstraints(list(s.getTopologySpreadConstraints()));
      s.setNodeSelector(map(s.getNodeSelector()));
      s.setOverhead(map(s.getOverhead()));
      s.setAdditionalProperties(map(s.getAdditionalProperties()));
    }
    return s;
  }

  /** A container's empty collections, in place. */
  public static Container container(Container c) {
    c.setArgs(list(c.getArgs()));
    c.setCommand(list(c.getCommand()));
    c.setEnv(list(c.getEnv()));
    c.setEnvFrom(list(c.getEnvFrom()));
    c.setPorts(list(c.getPorts()));
    c.setResizePolicy(list(c.getResizePolicy()));
    c.setRestartPolicyRules(list(c.getRestartPolicyRules()));
    c.setVolumeDevices(list(c.getVolumeDevices()));
    c.setVolumeMounts(list(c.getVolumeMounts()));
    c.setAdditionalProperties(map(c.getAdditionalProperties()));
    return c;
  }

  /** An env var's, and its source's, empty additional properties, in place. */
  public static EnvVar envVar(EnvVar e) {
    e.setAdditionalProperties(map(e.getAdditionalProperties()));
    EnvVarSource from = e.getValueFrom();
    if (from != null) {
      from.setAdditionalProperties(map(from.getAdditionalProperties()));
      if (from.getSecretKeyRef() != null) {
        from.getSecretKeyRef().setAdditionalProperties(map(from.getSecretKeyRef().getAdditionalProperties()));
      }
      if (from.getConfigMapKeyRef() != null) {
        from.getConfigMapKeyRef().setAdditionalProperties(map(from.getConfigMapKeyRef().getAdditionalProperties()));
      }
    }
    return e;
  }

  /** The shared empty list in place of an empty one; anything else as it is. */
  public static <T> List<T> list(List<T> l) {
    return l != null && l.isEmpty() ? List.of() : l;
  }

  /** The shared empty map in place of an empty one; anything else as it is. */
  public static <K, V> Map<K, V> map(Map<K, V> m) {
    return m != null && m.isEmpty() ? Map.of() : m;
  }
}
