package io.photoapp.jwt.audit;

import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.policy.Profile;
import io.photoapp.jwt.spec.SpecResolver;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The workload findings by namespace and rule, as the operator counts them on its cached workloads for
 * {@code jwtsecret_workload_findings}: the same rules as {@code audit}, in each namespace's context
 * taken from the cached JwtSecrets (their profiles, Secrets and current key ids) and the namespace
 * labels. The operator caches no unmanaged Secret, so a whole Secret read ({@code envFrom}) is not judged.
 */
public final class WorkloadFindingCounts {
  /** One series: a namespace and a rule name (bounded: never a workload name or a value). */
  public record Key(String namespace, String rule) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = namespace.compareTo(o.namespace);
      return c != 0 ? c : rule.compareTo(o.rule);
    }
  }

  private WorkloadFindingCounts() {}

  public static Map<Key, Integer> count(Collection<WorkloadFacts> workloads, Collection<JwtSecret> jwtSecrets,
      Function<String, Optional<Environment>> namespaceMinimum) {
    if (workloads.isEmpty()) {
      // The common case at every scrape: no cached workload sets or reads a JWT key; nothing to resolve.
      return Map.of();
    }
    Map<String, List<Environment>> environments = new HashMap<>();
    Map<String, Set<String>> managed = new HashMap<>();
    Map<String, List<WorkloadRules.Holder>> holders = new HashMap<>();
    for (JwtSecret js : jwtSecrets) {
      String ns = js.getMetadata().getNamespace();
      String name = js.getMetadata().getName();
      SpecResolver.Result resolved = SpecResolver.resolve(js);
      String secretName = resolved.spec() != null ? resolved.spec().secretName()
          : js.getSpec() != null && js.getSpec().secret != null && js.getSpec().secret.name != null ? js.getSpec().secret.name
          : name;
      managed.computeIfAbsent(ns, n -> new HashSet<>()).add(secretName);
      if (resolved.spec() != null) {
        environments.computeIfAbsent(ns, n -> new ArrayList<>())
            .add(Profile.effective(resolved.spec().environment(), namespaceMinimum.apply(ns)).environment());
      }
      if (js.getStatus() != null && js.getStatus().keyId != null) {
        holders.computeIfAbsent(js.getStatus().keyId, k -> new ArrayList<>())
            .add(new WorkloadRules.Holder(ns, "JwtSecret " + ns + "/" + name));
      }
    }
    Map<String, NamespaceContext> contexts = new HashMap<>();
    List<WorkloadFinding> findings = new ArrayList<>();
    for (WorkloadFacts w : workloads) {
      NamespaceContext ns = contexts.computeIfAbsent(w.namespace(), n -> new NamespaceContext(n,
          NamespaceContext.effective(environments.getOrDefault(n, List.of()), namespaceMinimum.apply(n)),
          managed.getOrDefault(n, Set.of()), secret -> false));
      findings.addAll(WorkloadRules.judge(w, ns));
    }
    findings.addAll(WorkloadRules.sharedKeys(workloads, holders));
    Map<Key, Integer> counts = new TreeMap<>();
    findings.forEach(f -> counts.merge(new Key(f.namespace(), f.finding().rule()), 1, Integer::sum));
    return counts;
  }
}
