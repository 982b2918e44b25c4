package io.photoapp.jwt.restart;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelectorBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapProjectionBuilder;
import io.fabric8.kubernetes.api.model.KeyToPathBuilder;
import io.fabric8.kubernetes.api.model.SecretKeySelectorBuilder;
import io.fabric8.kubernetes.api.model.SecretProjectionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.audit.WorkloadFacts;
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
      return (W) copy;
    }
    if (workload instanceof StatefulSet s) {
      StatefulSet copy = statefulSet(s);
      keepFacts(copy.getSpec().getTemplate(), facts(s, s.getSpec() == null ? null : s.getSpec().getTemplate()));
      return (W) copy;
    }
    if (workload instanceof DaemonSet ds) {
      DaemonSet copy = daemonSet(ds);
      keepFacts(copy.getSpec().getTemplate(), facts(ds, ds.getSpec() == null ? null : ds.getSpec().getTemplate()));
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
    if (slim != null && !facts.isEmpty()) {
      slim.setAdditionalProperty(FACTS, facts.bounded(MAX_FACTS));
    }
  }

  static Deployment deployment(Deployment d) {
    var spec = d.getSpec();
    var st = d.getStatus();
    var copy = new DeploymentBuilder().withMetadata(metadata(d.getMetadata()))
        .withNewSpec().withReplicas(spec == null ? null : spec.getReplicas()).withPaused(spec == null ? null : spec.getPaused())
        .withTemplate(spec == null ? null : template(spec.getTemplate())).endSpec();
    if (st != null) {
      List<DeploymentCondition> conditions = st.getConditions() == null ? null : st.getConditions().stream()
          .map(c -> new DeploymentConditionBuilder().withType(c.getType()).withStatus(c.getStatus()).withReason(c.getReason())
              .build()).toList();
      copy.withStatus(new DeploymentStatusBuilder().withObservedGeneration(st.getObservedGeneration())
          .withReplicas(st.getReplicas()).withUpdatedReplicas(st.getUpdatedReplicas()).withReadyReplicas(st.getReadyReplicas())
          .withAvailableReplicas(st.getAvailableReplicas()).withConditions(conditions).build());
    }
    return copy.build();
  }

  static StatefulSet statefulSet(StatefulSet s) {
    var spec = s.getSpec();
    var st = s.getStatus();
    StatefulSetUpdateStrategy strategy = spec == null || spec.getUpdateStrategy() == null ? null
        : new StatefulSetUpdateStrategyBuilder().withType(spec.getUpdateStrategy().getType())
            .withRollingUpdate(spec.getUpdateStrategy().getRollingUpdate() == null ? null
                : new io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategyBuilder()
                    .withPartition(spec.getUpdateStrategy().getRollingUpdate().getPartition()).build())
            .build();
    var copy = new StatefulSetBuilder().withMetadata(metadata(s.getMetadata()))
        .withNewSpec().withReplicas(spec == null ? null : spec.getReplicas()).withUpdateStrategy(strategy)
        .withTemplate(spec == null ? null : template(spec.getTemplate())).endSpec();
    if (st != null) {
      copy.withStatus(new StatefulSetStatusBuilder().withObservedGeneration(st.getObservedGeneration())
          .withReplicas(st.getReplicas()).withReadyReplicas(st.getReadyReplicas()).withUpdatedReplicas(st.getUpdatedReplicas())
          .withAvailableReplicas(st.getAvailableReplicas()).withCurrentRevision(st.getCurrentRevision())
          .withUpdateRevision(st.getUpdateRevision()).build());
    }
    return copy.build();
  }

  static DaemonSet daemonSet(DaemonSet ds) {
    var spec = ds.getSpec();
    var st = ds.getStatus();
    var copy = new DaemonSetBuilder().withMetadata(metadata(ds.getMetadata()))
        .withNewSpec().withUpdateStrategy(spec == null || spec.getUpdateStrategy() == null ? null
            : new io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategyBuilder().withType(spec.getUpdateStrategy().getType()).build())
        .withTemplate(spec == null ? null : template(spec.getTemplate())).endSpec();
    if (st != null) {
      copy.withStatus(new DaemonSetStatusBuilder().withObservedGeneration(st.getObservedGeneration())
          .withDesiredNumberScheduled(st.getDesiredNumberScheduled()).withUpdatedNumberScheduled(st.getUpdatedNumberScheduled())
          .withNumberAvailable(st.getNumberAvailable()).withNumberReady(st.getNumberReady()).build());
    }
    return copy.build();
  }

  /** Name, namespace, versions and labels (target selectors match on them); no annotations, no managed fields. */
  private static ObjectMeta metadata(ObjectMeta m) {
    return new ObjectMetaBuilder().withName(m.getName()).withNamespace(m.getNamespace()).withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion()).withGeneration(m.getGeneration())
        .withCreationTimestamp(m.getCreationTimestamp()).withDeletionTimestamp(m.getDeletionTimestamp())
        // An empty map, not none: the SDK's informer reads the annotations of every object it is handed.
        .withLabels(m.getLabels()).withAnnotations(new java.util.LinkedHashMap<>()).build();
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
    return new PodTemplateSpec(new ObjectMetaBuilder().withAnnotations(annotations).build(), slim);
  }

  /** A container's references to Secrets and ConfigMaps, by name and key; its env values and the rest dropped. */
  private static Container container(Container c) {
    List<EnvVar> env = c.getEnv() == null ? null : c.getEnv().stream().map(WorkloadCopies::envRef).filter(Objects::nonNull).toList();
    List<EnvFromSource> envFrom = c.getEnvFrom() == null ? null : c.getEnvFrom().stream()
        .filter(f -> f.getSecretRef() != null || f.getConfigMapRef() != null)
        .map(f -> {
          EnvFromSourceBuilder slim = new EnvFromSourceBuilder();
          if (f.getSecretRef() != null) {
            slim.withNewSecretRef().withName(f.getSecretRef().getName()).withOptional(f.getSecretRef().getOptional()).endSecretRef();
          }
          if (f.getConfigMapRef() != null) {
            slim.withNewConfigMapRef().withName(f.getConfigMapRef().getName()).withOptional(f.getConfigMapRef().getOptional())
                .endConfigMapRef();
          }
          return slim.build();
        }).toList();
    return new ContainerBuilder().withName(c.getName()).withEnv(env).withEnvFrom(envFrom).build();
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
      slim.setSecretKeyRef(new SecretKeySelectorBuilder().withName(secret.getName()).withKey(secret.getKey())
          .withOptional(secret.getOptional()).build());
    }
    if (configMap != null) {
      slim.setConfigMapKeyRef(new ConfigMapKeySelectorBuilder().withName(configMap.getName()).withKey(configMap.getKey())
          .withOptional(configMap.getOptional()).build());
    }
    return new EnvVarBuilder().withName(e.getName()).withValueFrom(slim).build();
  }

  private static Volume volume(Volume v) {
    if (v.getSecret() == null && v.getConfigMap() == null && v.getProjected() == null) {
      return null;
    }
    VolumeBuilder slim = new VolumeBuilder().withName(v.getName());
    if (v.getSecret() != null) {
      slim.withNewSecret().withSecretName(v.getSecret().getSecretName()).withItems(items(v.getSecret().getItems()))
          .withOptional(v.getSecret().getOptional()).endSecret();
    }
    if (v.getConfigMap() != null) {
      slim.withNewConfigMap().withName(v.getConfigMap().getName()).withItems(items(v.getConfigMap().getItems()))
          .withOptional(v.getConfigMap().getOptional()).endConfigMap();
    }
    if (v.getProjected() != null && v.getProjected().getSources() != null) {
      List<VolumeProjection> sources = v.getProjected().getSources().stream()
          .filter(p -> p.getSecret() != null || p.getConfigMap() != null)
          .map(p -> {
            VolumeProjection s = new VolumeProjection();
            if (p.getSecret() != null) {
              s.setSecret(new SecretProjectionBuilder().withName(p.getSecret().getName()).withItems(items(p.getSecret().getItems()))
                  .withOptional(p.getSecret().getOptional()).build());
            }
            if (p.getConfigMap() != null) {
              s.setConfigMap(new ConfigMapProjectionBuilder().withName(p.getConfigMap().getName())
                  .withItems(items(p.getConfigMap().getItems())).withOptional(p.getConfigMap().getOptional()).build());
            }
            return s;
          }).toList();
      slim.withNewProjected().withSources(sources).endProjected();
    }
    return slim.build();
  }

  /** The keys an items list selects (their paths and modes dropped). */
  private static List<KeyToPath> items(List<KeyToPath> items) {
    return items == null ? null : items.stream().map(i -> new KeyToPathBuilder().withKey(i.getKey()).build()).toList();
  }
}
