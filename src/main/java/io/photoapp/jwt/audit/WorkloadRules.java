package io.photoapp.jwt.audit;

import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.audit.WorkloadFacts.ContainerFacts;
import io.photoapp.jwt.audit.WorkloadFacts.KeySource;
import io.photoapp.jwt.audit.WorkloadFacts.LiteralKey;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.policy.Profile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The security guide's checks on workloads, as pure functions of {@link WorkloadFacts}: keys in pod
 * specs, keys read from Secrets no JwtSecret manages, debug mode and token lifetimes in production,
 * and one literal key in two namespaces. Messages name workloads, containers, variables and Secrets,
 * never a value.
 */
public final class WorkloadRules {
  public static final String LITERAL_SECRET = "LiteralSecretInPodSpec";
  public static final String UNMANAGED_KEY_SOURCE = "UnmanagedKeySource";
  public static final String DEBUG_IN_PRODUCTION = "DebugInProduction";
  public static final String TOKEN_LIFETIME_TOO_LONG = "TokenLifetimeTooLong";

  private WorkloadRules() {}

  /** Every rule about one workload in its namespace (all but {@link #sharedKeys}). */
  public static List<WorkloadFinding> judge(WorkloadFacts w, NamespaceContext ns) {
    List<WorkloadFinding> findings = new ArrayList<>(literalKeys(w));
    findings.addAll(unmanagedKeySources(w, ns));
    findings.addAll(production(w, ns));
    return findings;
  }

  /** A JWT key set as a literal value: a violation, and the findings about the value, named but not printed. */
  public static List<WorkloadFinding> literalKeys(WorkloadFacts w) {
    List<WorkloadFinding> findings = new ArrayList<>();
    for (ContainerFacts c : w.containers()) {
      for (LiteralKey l : c.literalKeys()) {
        findings.add(at(w, c.container(), l.variable(), null, l.keyId(), Finding.violation(LITERAL_SECRET,
            w.kind() + " " + w.name() + " container " + c.container() + " sets " + l.variable()
                + " with a literal value: the key is in the manifest, in Git and in every `kubectl get -o yaml`;"
                + " read it from the JwtSecret's Secret with valueFrom.secretKeyRef")));
        for (Finding f : l.valueFindings()) {
          findings.add(at(w, c.container(), l.variable(), null, l.keyId(), new Finding(f.rule(), f.severity(),
              "literal " + l.variable() + " of container " + c.container() + ": " + f.message())));
        }
      }
    }
    return findings;
  }

  /** A JWT key read from a Secret that no JwtSecret of the namespace manages: a warning naming the Secret. */
  public static List<WorkloadFinding> unmanagedKeySources(WorkloadFacts w, NamespaceContext ns) {
    List<WorkloadFinding> findings = new ArrayList<>();
    for (ContainerFacts c : w.containers()) {
      for (KeySource s : c.keySources()) {
        unmanaged(w, c.container(), s, ns).ifPresent(findings::add);
      }
    }
    for (KeySource s : w.volumeSources()) {
      unmanaged(w, null, s, ns).ifPresent(findings::add);
    }
    return findings;
  }

  private static java.util.Optional<WorkloadFinding> unmanaged(WorkloadFacts w, String container, KeySource s,
      NamespaceContext ns) {
    if (ns.managedSecrets().contains(s.secret()) || (s.dataKey() == null && s.variable() == null
        && !ns.holdsJwtKey().test(s.secret()))) {
      return java.util.Optional.empty();
    }
    String read = s.dataKey() == null ? "every key of Secret " + s.secret()
        : "Secret " + s.secret() + " (data key " + s.dataKey() + ")";
    String how = s.volume() != null ? "volume " + s.volume() + " mounts " + read
        : "container " + container + (s.variable() != null ? " reads " + s.variable() + " from " : " reads ") + read;
    return java.util.Optional.of(at(w, container, s.variable(), s.secret(), null, Finding.warning(UNMANAGED_KEY_SOURCE,
        w.kind() + " " + w.name() + ": " + how
            + ", which no JwtSecret manages: nothing rotates that key; point it at a JwtSecret's Secret")));
  }

  /** In a production namespace: debug mode on, or a token lifetime over the profile's maximum. */
  public static List<WorkloadFinding> production(WorkloadFacts w, NamespaceContext ns) {
    if (ns.environment().orElse(null) != Environment.PRODUCTION) {
      return List.of();
    }
    int max = Profile.of(Environment.PRODUCTION).maxTokenMinutes();
    List<WorkloadFinding> findings = new ArrayList<>();
    for (ContainerFacts c : w.containers()) {
      for (String variable : c.debugOn()) {
        findings.add(at(w, c.container(), variable, null, null, Finding.violation(DEBUG_IN_PRODUCTION,
            w.kind() + " " + w.name() + " container " + c.container() + " sets " + variable
                + " on in production namespace " + w.namespace() + "; the guide: debug mode disabled in production")));
      }
      for (WorkloadFacts.Lifetime l : c.lifetimes()) {
        if (l.minutes() > max) {
          findings.add(at(w, c.container(), l.variable(), null, null, Finding.violation(TOKEN_LIFETIME_TOO_LONG,
              w.kind() + " " + w.name() + " container " + c.container() + " sets " + l.variable() + " to "
                  + l.minutes() + " minutes; production allows at most " + max
                  + " (the guide: JWT expiration too long for production)")));
        }
      }
    }
    return findings;
  }

  /** Who else holds a key id: a namespace, and how to name the holder ("JwtSecret ns/name"). */
  public record Holder(String namespace, String description) {}

  /**
   * One literal key in two namespaces (compared by key id, as the unique-key rule compares keys):
   * each literal whose key a workload or a JwtSecret of another namespace also holds is a violation
   * naming the other holders. Workloads of one namespace sharing a key are one app, not two environments.
   */
  public static List<WorkloadFinding> sharedKeys(Collection<WorkloadFacts> workloads, Map<String, List<Holder>> managed) {
    List<WorkloadFinding> findings = new ArrayList<>();
    for (WorkloadFacts w : workloads) {
      for (ContainerFacts c : w.containers()) {
        for (LiteralKey l : c.literalKeys()) {
          TreeSet<String> others = new TreeSet<>();
          for (WorkloadFacts o : workloads) {
            if (!o.namespace().equals(w.namespace()) && o.containers().stream()
                .anyMatch(oc -> oc.literalKeys().stream().anyMatch(ol -> ol.keyId().equals(l.keyId())))) {
              others.add(o.kind() + " " + o.namespace() + "/" + o.name());
            }
          }
          managed.getOrDefault(l.keyId(), List.of()).stream().filter(h -> !h.namespace().equals(w.namespace()))
              .forEach(h -> others.add(h.description()));
          if (!others.isEmpty()) {
            findings.add(at(w, c.container(), l.variable(), null, l.keyId(), Finding.violation(Finding.DUPLICATE_KEY,
                "literal " + l.variable() + " of container " + c.container() + " is the same key as in "
                    + String.join(", ", others) + "; every environment needs its own key")));
          }
        }
      }
    }
    return findings;
  }

  private static WorkloadFinding at(WorkloadFacts w, String container, String variable, String secret, String keyId,
      Finding f) {
    return new WorkloadFinding(w.kind(), w.namespace(), w.name(), container, variable, secret, keyId, f);
  }
}
