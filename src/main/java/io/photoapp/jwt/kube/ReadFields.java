package io.photoapp.jwt.kube;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetUpdateStrategy;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateStatefulSetStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The fields of the Kubernetes model that the operator's clients read at all: every other field of these
 * classes is skipped in the JSON, unread (not kept as an additional property either).
 *
 * <p>Why: to deserialize a Deployment, Jackson first builds a deserializer for every class its fields may hold,
 * the whole pod spec (affinity, probes, resources, 30 kinds of volume source, a StatefulSet's claim templates),
 * and keeps them for the life of the process. An empty {@code DeploymentList} is enough: the informers' first
 * list builds them all. What the operator reads of a workload is its pod template's references to Secrets and
 * ConfigMaps, its env (for the workload rules, {@link io.photoapp.jwt.audit.WorkloadFacts}), the replica counts
 * and update strategy its rollout reads, and the key-set annotations ({@code WorkloadCopies} keeps the same).
 * A pod's or Job's spec, which the CLI's audit reads, is read the same way. No object is ever written back whole
 * (ArchitectureTest), so a field skipped here is never dropped on the server; writing is unaffected: the
 * serializers see every field.
 *
 * <p>Every object's {@code managedFields} are skipped too: nothing reads them, and they are the largest part
 * of an object's metadata that the caches dropped after reading ({@link io.photoapp.jwt.api.ServerFields}).
 */
public final class ReadFields {
  /** Per class, the JSON properties read; a class not listed reads all of its own. */
  static final Map<Class<?>, Predicate<String>> READ = Map.ofEntries(
      Map.entry(ObjectMeta.class, name -> !name.equals("managedFields")),
      Map.entry(DeploymentSpec.class, Set.of("replicas", "paused", "template")::contains),
      Map.entry(StatefulSetSpec.class, Set.of("replicas", "updateStrategy", "template")::contains),
      Map.entry(DaemonSetSpec.class, Set.of("updateStrategy", "template")::contains),
      Map.entry(DaemonSetUpdateStrategy.class, Set.of("type")::contains),
      Map.entry(RollingUpdateStatefulSetStrategy.class, Set.of("partition")::contains),
      Map.entry(StatefulSetStatus.class, name -> !name.equals("conditions")),
      Map.entry(DaemonSetStatus.class, name -> !name.equals("conditions")),
      Map.entry(PodSpec.class, Set.of("containers", "initContainers", "volumes")::contains),
      Map.entry(Container.class, Set.of("name", "env", "envFrom")::contains),
      Map.entry(EnvVarSource.class, Set.of("secretKeyRef", "configMapKeyRef")::contains),
      Map.entry(Volume.class, Set.of("name", "secret", "configMap", "projected")::contains),
      Map.entry(VolumeProjection.class, Set.of("secret", "configMap")::contains));

  private ReadFields() {}

  /** The module that skips the rest; register it on a mapper before its first read. */
  public static Module module() {
    SimpleModule module = new SimpleModule("jwt-operator-read-fields");
    module.setDeserializerModifier(new Skip());
    return module;
  }

  /** Whether the operator's clients read {@code property} of {@code type}. */
  static boolean reads(Class<?> type, String property) {
    Predicate<String> read = READ.get(type);
    return read == null || read.test(property);
  }

  private static final class Skip extends BeanDeserializerModifier {
    /** Drops the skipped properties before Jackson looks up a deserializer for their types. */
    @Override
    public List<BeanPropertyDefinition> updateProperties(DeserializationConfig config, BeanDescription bean,
        List<BeanPropertyDefinition> properties) {
      if (!READ.containsKey(bean.getBeanClass())) {
        return properties;
      }
      return properties.stream().filter(p -> reads(bean.getBeanClass(), p.getName())).toList();
    }

    /** Skips them in the JSON (without this, the model's any-setter would keep them as additional properties). */
    @Override
    public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
        BeanDeserializerBuilder builder) {
      if (READ.containsKey(bean.getBeanClass())) {
        bean.findProperties().stream().map(BeanPropertyDefinition::getName)
            .filter(name -> !reads(bean.getBeanClass(), name)).forEach(builder::addIgnorable);
      }
      return builder;
    }
  }
}
