package io.photoapp.jwt.restart;

import io.fabric8.kubernetes.api.model.ConfigMapEnvSource;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.ConfigMapProjection;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ProjectedVolumeSource;
import io.fabric8.kubernetes.api.model.SecretEnvSource;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecretProjection;
import io.fabric8.kubernetes.api.model.SecretVolumeSource;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.kube.SharedEmpties;
import io.photoapp.jwt.audit.WorkloadFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the workload informers keep of an opted-in Deployment, StatefulSet or DaemonSet: only what
 * {@link WorkloadView} and {@link PublishAwareness} read. Anyone who may label a workload decides
 * what it holds (annotations, env values, sidecars), so the cache drops the rest: the pod template
 * keeps the operator's key-set annotations and, per container, only the references to Secrets and
 * ConfigMaps (env, envFrom, volumes); no managed fields, no other annotations, no env values. What the
 * workload rules need of the values (a literal key's id and findings, debug mode, a token lifetime) is
 * kept as {@link WorkloadFacts}, which hold no value ({@link #factsOf}).
 */
public final class WorkloadCopies {
  /** Longest key-set annotation value kept; a real one is a few key ids. */
  static final int MAX_VALUE = 512;

  private WorkloadCopies() {}

  /** Where a copy's pod template keeps its {@link WorkloadFacts} (in memory; the copy is never written). */
  static final String FACTS = "jwt.photoapp.io/audit-facts";
  /** Most containers, and entries per container, whose facts a copy keeps. */
  static final int MAX_FACTS = 4;
  /** Reads facts back from a JSON clone, ignoring derived properties (a finding's {@code violation}). */
  private static final com.fasterxml.jackson.databind.ObjectMapper LENIENT = io.fabric8.kubernetes.client.utils.Serialization
      .jsonMapper().copy().configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** The cache's copy of a workload; anything else is returned as it is. */
  @SuppressWarnings("unchecked")
  public static <W extends HasMetadata> W forCache(W workload) {
    if (workload instanceof Deployment d) {
      Deployment copy = deployment(d);
      keepFacts(copy.getSpec().getTemplate(), facts(d, d.getSpec() == null ? null : d.getSpec().getTemplate()));
      copy.setAdditionalProperties(SharedEmpties.map(copy.getAdditionalProperties()));
      copy.getSpec().setAdditionalProperties(SharedEmpties.map(copy.getSpec().getAdditionalProperties()));
      return (W) copy;
    }
    if (workload instanceof StatefulSet s) {
      StatefulSet copy = statefulSet(s);
      keepFacts(copy.getSpec().getTemplate(), facts(s, s.getSpec() == null ? null : s.getSpec().getTemplate()));
      copy.setAdditionalProperties(SharedEmpties.map(copy.getAdditionalProperties()));
      copy.getSpec().setAdditionalProperties(SharedEmpties.map(copy.getSpec().getAdditionalProperties()));
      return (W) copy;
    }
    if (workload instanceof DaemonSet ds) {
      DaemonSet copy = daemonSet(ds);
      keepFacts(copy.getSpec().getTemplate(), facts(ds, ds.getSpec() == null ? null : ds.getSpec().getTemplate()));
      copy.setAdditionalProperties(SharedEmpties.map(copy.getAdditionalProperties()));
      copy.getSpec().setAdditionalProperties(SharedEmpties.map(copy.getSpec().getAdditionalProperties()));
      return (W) copy;
    }
    if (workload instanceof io.fabric8.kubernetes.api.model.GenericKubernetesResource r && ArgoRollouts.KIND.equals(r.getKind())) {
      return (W) ArgoRollouts.forCache(r);
    }
    return workload;
  }

  /**
   * What the workload rules ({@link io.photoapp.jwt.audit.WorkloadRules}) read of a cached copy: the
   * facts taken from the whole object before its env values were dropped; empty for a workload that
   * sets and reads no JWT key or setting. A copy cloned through JSON carries them as a map.
   */
  public static java.util.Optional<WorkloadFacts> factsOf(HasMetadata copy) {
    PodTemplateSpec template = copy instanceof Deployment d && d.getSpec() != null ? d.getSpec().getTemplate()
        : copy instanceof StatefulSet s && s.getSpec() != null ? s.getSpec().getTemplate()
        : copy instanceof DaemonSet ds && ds.getSpec() != null ? ds.getSpec().getTemplate() : null;
    Object facts = template == null ? null : template.getAdditionalProperties().get(FACTS);
    if (facts instanceof WorkloadFacts f) {
      return java.util.Optional.of(f);
    }
    if (facts instanceof Map<?, ?> map) {
      try {
        return java.util.Optional.of(LENIENT.convertValue(map, WorkloadFacts.class));
      } catch (IllegalArgumentException e) {
        return java.util.Optional.empty();
      }
    }
    return java.util.Optional.empty();
  }

  private static WorkloadFacts facts(HasMetadata w, PodTemplateSpec template) {
    return WorkloadFacts.of(w.getKind() != null ? w.getKind() : w.getClass().getSimpleName(), w.getMetadata().getNamespace(),
        w.getMetadata().getName(), template == null ? null : template.getSpec(), MAX_FACTS);
  }

  private static void keepFacts(PodTemplateSpec slim, WorkloadFacts facts) {
    if (slim == null) {
      return;
    }
    if (!facts.isEmpty()) {
      slim.setAdditionalProperty(FACTS, facts.bounded(MAX_FACTS));
    }
    slim.setAdditionalProperties(SharedEmpties.map(slim.getAdditionalProperties()));
  }

  static Deployment deployment(Deployment d) {
    var spec = d.getSpec();
    var st = d.getStatus();
    DeploymentSpec slimSpec = new DeploymentSpec();
    slimSpec.setReplicas(spec == null ? null : spec.getReplicas());
    slimSpec.setPaused(spec == null ? null : spec.getPaused());
    slimSpec.setTemplate(spec == null ? null : template(spec.getTemplate()));
    Deployment copy = new Deployment();
    copy.setMetadata(metadata(d.getMetadata()));
    copy.setSpec(slimSpec);
    if (st != null) {
      DeploymentStatus status = new DeploymentStatus();
      status.setObservedGeneration(st.getObservedGeneration());
      status.setReplicas(st.getReplicas());
      status.setUpdatedReplicas(st.getUpdatedReplicas());
      status.setReadyReplicas(st.getReadyReplicas());
      status.setAvailableReplicas(st.getAvailableReplicas());
      status.setConditions(st.getConditions() == null ? null : mutable(st.getConditions().stream().map(c -> {
        DeploymentCondition condition = new DeploymentCondition();
        condition.setType(c.getType());
        condition.setStatus(c.getStatus());
        condition.setReason(c.getReason());
        return condition;
      })));
      copy.setStatus(status);
    }
    return copy;
  }

  static StatefulSet statefulSet(StatefulSet s) {
    var spec = s.getSpec();
    var st = s.getStatus();
    StatefulSetUpdateStrategy strategy = null;
    if (spec != null && spec.getUpdateStrategy() != null) {
      strategy = new StatefulSetUpdateStrategy();
      strategy.setType(spec.getUpdateStrategy().getType());
      if (spec.getUpdateStrategy().getRollingUpdate() != null) {
        RollingUpdateStatefulSetStrategy rollingUpdate = new RollingUpdateStatefulSetStrategy();
        rollingUpdate.setPartition(spec.getUpdateStrategy().getRollingUpdate().getPartition());
        strategy.setRollingUpdate(rollingUpdate);
      }
    }
    StatefulSetSpec slimSpec = new StatefulSetSpec();
    slimSpec.setReplicas(spec == null ? null : spec.getReplicas());
    slimSpec.setUpdateStrategy(strategy);
    slimSpec.setTemplate(spec == null ? null : template(spec.getTemplate()));
    StatefulSet copy = new StatefulSet();
    copy.setMetadata(metadata(s.getMetadata()));
    copy.setSpec(slimSpec);
    if (st != null) {
      StatefulSetStatus status = new StatefulSetStatus();
      status.setObservedGeneration(st.getObservedGeneration());
      status.setReplicas(st.getReplicas());
      status.setReadyReplicas(st.getReadyReplicas());
      status.setUpdatedReplicas(st.getUpdatedReplicas());
      status.setAvailableReplicas(st.getAvailableReplicas());
      status.setCurrentRevision(st.getCurrentRevision());
      status.setUpdateRevision(st.getUpdateRevision());
      copy.setStatus(status);
    }
    return copy;
  }

  static DaemonSet daemonSet(DaemonSet ds) {
    var spec = ds.getSpec();
    var st = ds.getStatus();
    DaemonSetSpec slimSpec = new DaemonSetSpec();
    if (spec != null && spec.getUpdateStrategy() != null) {
      DaemonSetUpdateStrategy strategy = new DaemonSetUpdateStrategy();
      strategy.setType(spec.getUpdateStrategy().getType());
      slimSpec.setUpdateStrategy(strategy);
    }
    slimSpec.setTemplate(spec == null ? null : template(spec.getTemplate()));
    DaemonSet copy = new DaemonSet();
    copy.setMetadata(metadata(ds.getMetadata()));
    copy.setSpec(slimSpec);
    if (st != null) {
      DaemonSetStatus status = new DaemonSetStatus();
      status.setObservedGeneration(st.getObservedGeneration());
      status.setDesiredNumberScheduled(st.getDesiredNumberScheduled());
      status.setUpdatedNumberScheduled(st.getUpdatedNumberScheduled());
      status.setNumberAvailable(st.getNumberAvailable());
      status.setNumberReady(st.getNumberReady());
      copy.setStatus(status);
    }
    return copy;
  }

  /** Name, namespace, versions and labels (target selectors match on them); no annotations, no managed fields. */
  private static ObjectMeta metadata(ObjectMeta m) {
    ObjectMeta slim = new ObjectMeta();
    slim.setName(m.getName());
    slim.setNamespace(m.getNamespace());
    slim.setUid(m.getUid());
    slim.setResourceVersion(m.getResourceVersion());
    slim.setGeneration(m.getGeneration());
    slim.setCreationTimestamp(m.getCreationTimestamp());
    slim.setDeletionTimestamp(m.getDeletionTimestamp());
    slim.setLabels(m.getLabels() == null ? null : new LinkedHashMap<>(m.getLabels()));
    // An empty map, not none: the SDK's informer reads the annotations of every object it is handed.
    slim.setAnnotations(Map.of());
    return SharedEmpties.metadata(slim);
  }

  static PodTemplateSpec template(PodTemplateSpec t) {
    if (t == null) {
      return null;
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (t.getMetadata() != null && t.getMetadata().getAnnotations() != null) {
      t.getMetadata().getAnnotations().forEach((k, v) -> {
        if (k.startsWith(Labels.KEY_SET_PREFIX) && v != null && v.length() <= MAX_VALUE) {
          annotations.put(k, v);
        }
      });
    }
    PodSpec spec = t.getSpec();
    PodSpec slim = spec == null ? null : new PodSpec();
    if (spec != null) {
      slim.setContainers(spec.getContainers() == null ? null : spec.getContainers().stream().map(WorkloadCopies::container).toList());
      slim.setInitContainers(spec.getInitContainers() == null ? null
          : spec.getInitContainers().stream().map(WorkloadCopies::container).toList());
      slim.setVolumes(spec.getVolumes() == null ? null
          : spec.getVolumes().stream().map(WorkloadCopies::volume).filter(Objects::nonNull).toList());
    }
    ObjectMeta metadata = new ObjectMeta();
    metadata.setAnnotations(annotations);
    return new PodTemplateSpec(SharedEmpties.metadata(metadata), SharedEmpties.podSpec(slim));
  }

  /** A container's references to Secrets and ConfigMaps, by name and key; its env values and the rest dropped. */
  private static Container container(Container c) {
    Container slim = new Container();
    slim.setName(c.getName());
    slim.setEnv(c.getEnv() == null ? null : mutable(c.getEnv().stream().map(WorkloadCopies::envRef).filter(Objects::nonNull)));
    slim.setEnvFrom(c.getEnvFrom() == null ? null : mutable(c.getEnvFrom().stream()
        .filter(f -> f.getSecretRef() != null || f.getConfigMapRef() != null)
        .map(WorkloadCopies::envFromRef)));
    return SharedEmpties.container(slim);
  }

  private static EnvFromSource envFromRef(EnvFromSource f) {
    EnvFromSource slim = new EnvFromSource();
    if (f.getSecretRef() != null) {
      slim.setSecretRef(new SecretEnvSource(f.getSecretRef().getName(), f.getSecretRef().getOptional()));
    }
    if (f.getConfigMapRef() != null) {
      slim.setConfigMapRef(new ConfigMapEnvSource(f.getConfigMapRef().getName(), f.getConfigMapRef().getOptional()));
    }
    return slim;
  }

  private static EnvVar envRef(EnvVar e) {
    EnvVarSource from = e.getValueFrom();
    SecretKeySelector secret = from == null ? null : from.getSecretKeyRef();
    ConfigMapKeySelector configMap = from == null ? null : from.getConfigMapKeyRef();
    if (secret == null && configMap == null) {
      return null;
    }
    EnvVarSource slim = new EnvVarSource();
    if (secret != null) {
      slim.setSecretKeyRef(new SecretKeySelector(secret.getKey(), secret.getName(), secret.getOptional()));
    }
    if (configMap != null) {
      slim.setConfigMapKeyRef(new ConfigMapKeySelector(configMap.getKey(), configMap.getName(), configMap.getOptional()));
    }
    EnvVar ref = new EnvVar();
    ref.setName(e.getName());
    ref.setValueFrom(slim);
    return SharedEmpties.envVar(ref);
  }

  private static Volume volume(Volume v) {
    if (v.getSecret() == null && v.getConfigMap() == null && v.getProjected() == null) {
      return null;
    }
    Volume slim = new Volume();
    slim.setName(v.getName());
    // The model's constructors (mode, items, optional, name): the mode is dropped.
    if (v.getSecret() != null) {
      slim.setSecret(new SecretVolumeSource(null, items(v.getSecret().getItems()), v.getSecret().getOptional(),
          v.getSecret().getSecretName()));
    }
    if (v.getConfigMap() != null) {
      slim.setConfigMap(new ConfigMapVolumeSource(null, items(v.getConfigMap().getItems()), v.getConfigMap().getName(),
          v.getConfigMap().getOptional()));
    }
    if (v.getProjected() != null && v.getProjected().getSources() != null) {
      ProjectedVolumeSource projected = new ProjectedVolumeSource();
      projected.setSources(mutable(v.getProjected().getSources().stream()
          .filter(p -> p.getSecret() != null || p.getConfigMap() != null)
          .map(WorkloadCopies::projection)));
      slim.setProjected(projected);
    }
    return slim;
  }

  private static VolumeProjection projection(VolumeProjection p) {
    VolumeProjection s = new VolumeProjection();
    if (p.getSecret() != null) {
      s.setSecret(new SecretProjection(items(p.getSecret().getItems()), p.getSecret().getName(), p.getSecret().getOptional()));
    }
    if (p.getConfigMap() != null) {
      s.setConfigMap(new ConfigMapProjection(items(p.getConfigMap().getItems()), p.getConfigMap().getName(),
          p.getConfigMap().getOptional()));
    }
    return s;
  }

  /** The keys an items list selects (their paths and modes dropped). */
  private static List<KeyToPath> items(List<KeyToPath> items) {
    return items == null ? null : mutable(items.stream().map(i -> new KeyToPath(i.getKey(), null, null)));
  }

  /** A list as fabric8's builders made them (an ArrayList). */
  private static <T> List<T> mutable(java.util.stream.Stream<T> items) {
    return items.collect(java.util.stream.Collectors.toCollection(ArrayList::new));
  }
}
