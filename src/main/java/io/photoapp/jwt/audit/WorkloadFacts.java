package io.photoapp.jwt.audit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.policy.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the workload rules read of one pod spec, with no value in it: the JWT keys set as literals
 * (by key id, with the findings about their values), the Secrets JWT keys are read from, and the
 * debug and token lifetime settings. Built once from the whole object, so that a cache (the
 * operator's) can keep these facts and drop the values.
 */
public record WorkloadFacts(String kind, String namespace, String name, List<ContainerFacts> containers,
    List<KeySource> volumeSources) {

  /** What one container (init containers included) sets and reads. */
  public record ContainerFacts(String container, List<LiteralKey> literalKeys, List<KeySource> keySources,
      List<String> debugOn, List<Lifetime> lifetimes) {}

  /** A JWT key set with a literal {@code value:}: the variable, the key id of the value, the findings about it. */
  public record LiteralKey(String variable, String keyId, List<Finding> valueFindings) {}

  /**
   * A Secret a JWT key is read from: {@code variable} for an env var, {@code dataKey} null when the
   * whole Secret is read ({@code envFrom}, a volume without items), {@code volume} for a volume.
   */
  public record KeySource(String variable, String secret, String dataKey, String volume) {}

  /** A literal token lifetime in minutes. */
  public record Lifetime(String variable, int minutes) {}

  /** The facts of a pod spec; {@code spec} may be null (a workload without a template). */
  public static WorkloadFacts of(String kind, String namespace, String name, PodSpec spec) {
    return of(kind, namespace, name, spec, Integer.MAX_VALUE);
  }

  /**
   * The facts of at most {@code limit} containers and {@code limit} literal keys per container: a
   * cache reads no more than it keeps (a value's key id and checks cost a hash each).
   */
  public static WorkloadFacts of(String kind, String namespace, String name, PodSpec spec, int limit) {
    List<ContainerFacts> containers = new ArrayList<>();
    List<KeySource> volumes = new ArrayList<>();
    if (spec != null) {
      Stream.concat(list(spec.getInitContainers()).stream(), list(spec.getContainers()).stream()).limit(limit)
          .map(c -> container(c, limit)).forEach(containers::add);
      for (Volume v : list(spec.getVolumes())) {
        volumes.addAll(volumeSources(v));
      }
    }
    return new WorkloadFacts(kind, namespace, name, List.copyOf(containers), List.copyOf(volumes));
  }

  /**
   * These facts within bounds, for a cache that anyone who may label a workload fills: at most
   * {@code max} containers and entries of each list, no name longer than a Kubernetes name, and the
   * findings about a value without their messages (the rule is what the operator counts).
   */
  public WorkloadFacts bounded(int max) {
    List<ContainerFacts> cs = containers.stream().filter(c -> fits(c.container())).limit(max)
        .map(c -> new ContainerFacts(c.container(),
            c.literalKeys().stream().filter(l -> fits(l.variable())).limit(max).map(l -> new LiteralKey(l.variable(),
                l.keyId(), l.valueFindings().stream().map(f -> new Finding(f.rule(), f.severity(), "")).toList())).toList(),
            c.keySources().stream().filter(WorkloadFacts::fits).limit(max).toList(),
            c.debugOn().stream().filter(WorkloadFacts::fits).limit(max).toList(),
            c.lifetimes().stream().filter(l -> fits(l.variable())).limit(max).toList()))
        .toList();
    return new WorkloadFacts(kind, namespace, name, cs, volumeSources.stream().filter(WorkloadFacts::fits).limit(max).toList());
  }

  private static final int MAX_NAME = 253;

  private static boolean fits(String name) {
    return name == null || name.length() <= MAX_NAME;
  }

  private static boolean fits(KeySource s) {
    return fits(s.variable()) && fits(s.secret()) && fits(s.dataKey()) && fits(s.volume());
  }

  /** Whether nothing here concerns a rule (the common case: no JWT key, no setting). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isEmpty() {
    return volumeSources.isEmpty() && containers.stream().allMatch(c -> c.literalKeys().isEmpty()
        && c.keySources().isEmpty() && c.debugOn().isEmpty() && c.lifetimes().isEmpty());
  }

  private static ContainerFacts container(Container c, int limit) {
    List<LiteralKey> literals = new ArrayList<>();
    List<KeySource> sources = new ArrayList<>();
    List<String> debug = new ArrayList<>();
    List<Lifetime> lifetimes = new ArrayList<>();
    for (EnvVar e : list(c.getEnv())) {
      String variable = e.getName();
      SecretKeySelector ref = e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
      if (ref != null) {
        if (JwtEnvNames.looksLikeJwtKey(variable) || JwtEnvNames.looksLikeJwtKey(ref.getKey())) {
          sources.add(new KeySource(variable, ref.getName(), ref.getKey(), null));
        }
        continue;
      }
      String value = e.getValueFrom() == null ? e.getValue() : null;
      if (value == null || value.isEmpty()) {
        continue;
      }
      if (JwtEnvNames.looksLikeJwtKey(variable) && !JwtEnvNames.namesAFile(variable)) {
        if (literals.size() >= limit) {
          continue;
        }
        literals.add(new LiteralKey(variable, KeyIds.of(KeyValue.of(value)), KeyValueChecks.judge(value)));
      } else if (JwtEnvNames.isDebug(variable) && JwtEnvNames.debugOn(value)) {
        debug.add(variable);
      } else if (JwtEnvNames.isTokenLifetime(variable)) {
        JwtEnvNames.minutes(value).ifPresent(m -> lifetimes.add(new Lifetime(variable, m)));
      }
    }
    for (EnvFromSource from : list(c.getEnvFrom())) {
      if (from.getSecretRef() != null && from.getSecretRef().getName() != null) {
        sources.add(new KeySource(null, from.getSecretRef().getName(), null, null));
      }
    }
    return new ContainerFacts(c.getName(), List.copyOf(literals), List.copyOf(sources), List.copyOf(debug),
        List.copyOf(lifetimes));
  }

  private static List<KeySource> volumeSources(Volume v) {
    List<KeySource> sources = new ArrayList<>();
    if (v.getSecret() != null && v.getSecret().getSecretName() != null) {
      sources.addAll(fromItems(v.getName(), v.getSecret().getSecretName(), v.getSecret().getItems()));
    }
    if (v.getProjected() != null) {
      for (VolumeProjection p : list(v.getProjected().getSources())) {
        if (p.getSecret() != null && p.getSecret().getName() != null) {
          sources.addAll(fromItems(v.getName(), p.getSecret().getName(), p.getSecret().getItems()));
        }
      }
    }
    return sources;
  }

  /** The whole Secret when no items are listed, else the items that look like JWT keys. */
  private static List<KeySource> fromItems(String volume, String secret, List<KeyToPath> items) {
    if (items == null || items.isEmpty()) {
      return List.of(new KeySource(null, secret, null, volume));
    }
    return items.stream().filter(i -> JwtEnvNames.looksLikeJwtKey(i.getKey()))
        .map(i -> new KeySource(null, secret, i.getKey(), volume)).toList();
  }

  private static <T> List<T> list(List<T> items) {
    return items == null ? List.of() : items;
  }
}
