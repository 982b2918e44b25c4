package io.photoapp.jwt.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.audit.NamespaceContext;
import io.photoapp.jwt.audit.WorkloadFacts;
import io.photoapp.jwt.audit.WorkloadRules;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.policy.DuplicateKeys;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.policy.PolicyRules;
import io.photoapp.jwt.policy.Profile;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.secret.Ownership;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks every JwtSecret and its Secret against its profile and the cluster-wide uniqueness rule, the
 * JWT keys in Secrets the operator does not manage, and the workloads' pod specs (io.photoapp.jwt.audit). Unlike the operator's own duplicate message,
 * the audit names both holders: an admin sees both.
 */
final class Auditor {
  static final String INVALID_SPEC = "invalid-spec";
  static final String SECRET_MISSING = "secret-missing";
  static final String SECRET_CONFLICT = "secret-conflict";
  static final String NO_KEY = "no-key";
  static final String EXTERNAL_CHANGE = "external-change";

  private final KubernetesClient client;
  private final Instant now;
  private final Map<String, Optional<Environment>> minimums = new HashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final List<AuditFinding> findings = new ArrayList<>();
  /** Per namespace: its JwtSecrets' key rows, their effective environments and the Secrets they manage. */
  private final Map<String, List<AuditReport.KeyRow>> keyRows = new TreeMap<>();
  private final Map<String, List<Environment>> environments = new HashMap<>();
  private final Map<String, Set<String>> managedSecrets = new HashMap<>();

  /** A JWT key found in an unmanaged Secret. */
  private record Loose(String namespace, String secret, String dataKey, String keyId) {}

  Auditor(KubernetesClient client, Instant now) {
    this.client = client;
    this.now = now;
  }

  /** Audits one namespace, or every namespace when {@code namespace} is null. */
  AuditReport audit(String namespace) {
    var jwtResources = client.resources(JwtSecret.class);
    List<JwtSecret> jwtSecrets = sorted(namespace == null ? jwtResources.inAnyNamespace().list().getItems()
        : jwtResources.inNamespace(namespace).list().getItems());
    List<Secret> secrets = sorted(namespace == null ? client.secrets().inAnyNamespace().list().getItems()
        : client.secrets().inNamespace(namespace).list().getItems());
    KeyHolders holders = KeyHolders.load(client, namespace, secrets, notes);
    Map<String, Secret> byName = new HashMap<>();
    secrets.forEach(s -> byName.put(key(s), s));
    Set<String> claimed = new HashSet<>();
    for (JwtSecret js : jwtSecrets) {
      judge(js, byName, holders, claimed);
    }
    List<Loose> loose = new ArrayList<>();
    Set<String> withJwtKeys = new HashSet<>();
    for (Secret s : secrets) {
      if (!claimed.contains(key(s))) {
        judgeUnmanaged(s, loose, withJwtKeys);
      }
    }
    duplicates(loose, holders);
    WorkloadLister lister = new WorkloadLister(client, namespace, notes);
    List<WorkloadFacts> workloads = lister.list();
    Map<String, Integer> workloadCounts = judgeWorkloads(workloads, byName, holders);
    return report(namespace, withJwtKeys.size(), secrets.size(), lister.scanned(), workloadCounts);
  }

  /** The rules of io.photoapp.jwt.audit on each workload, in its namespace's context; the workloads per namespace. */
  private Map<String, Integer> judgeWorkloads(List<WorkloadFacts> workloads, Map<String, Secret> byName, KeyHolders holders) {
    Map<String, Integer> counts = new HashMap<>();
    Map<String, NamespaceContext> contexts = new HashMap<>();
    for (WorkloadFacts w : workloads) {
      counts.merge(w.namespace(), 1, Integer::sum);
      NamespaceContext ns = contexts.computeIfAbsent(w.namespace(), n -> new NamespaceContext(n, environment(n),
          managedSecrets.getOrDefault(n, Set.of()), secret -> holdsJwtKey(byName.get(n + "/" + secret))));
      WorkloadRules.judge(w, ns).forEach(f -> findings.add(AuditFinding.of(f)));
    }
    WorkloadRules.sharedKeys(workloads, holders.byKeyId()).forEach(f -> findings.add(AuditFinding.of(f)));
    return counts;
  }

  private static boolean holdsJwtKey(Secret s) {
    return s != null && s.getData() != null && s.getData().keySet().stream().anyMatch(UnmanagedKeys::looksLikeJwtKey);
  }

  /** The effective environment of a namespace: its JwtSecrets' strictest profile, or its label. */
  private Optional<Environment> environment(String ns) {
    return NamespaceContext.effective(environments.getOrDefault(ns, List.of()), minimum(ns));
  }

  private AuditReport report(String namespace, int unmanaged, int scanned, int workloadsScanned,
      Map<String, Integer> workloadCounts) {
    Set<String> namespaces = new TreeSet<>(keyRows.keySet());
    findings.forEach(f -> namespaces.add(f.namespace()));
    List<AuditReport.NamespaceReport> sections = new ArrayList<>();
    Map<String, String> envNames = new HashMap<>();
    for (String ns : namespaces) {
      String env = NamespaceContext.nameOf(environment(ns));
      envNames.put(ns, env);
      sections.add(new AuditReport.NamespaceReport(ns, env, keyRows.getOrDefault(ns, List.of()),
          workloadCounts.getOrDefault(ns, 0), 0, 0));
    }
    List<AuditFinding> placed = findings.stream().map(f -> f.inEnvironment(envNames.get(f.namespace()))).toList();
    return AuditReport.of(namespace == null ? "all namespaces" : "namespace " + namespace, now.toString(), unmanaged,
        scanned, workloadsScanned, sections, placed, notes);
  }

  private void judge(JwtSecret js, Map<String, Secret> byName, KeyHolders holders, Set<String> claimed) {
    String ns = js.getMetadata().getNamespace();
    String name = js.getMetadata().getName();
    SpecResolver.Result resolved = SpecResolver.resolve(js);
    if (!resolved.valid()) {
      add(ns, name, null, Finding.violation(INVALID_SPEC, String.join("; ", resolved.problems())));
      // Its Secret is still its own: not an unmanaged one.
      String secretName = js.getSpec() != null && js.getSpec().secret != null && js.getSpec().secret.name != null
          ? js.getSpec().secret.name : name;
      managedSecrets.computeIfAbsent(ns, n -> new HashSet<>()).add(secretName);
      keyRows.computeIfAbsent(ns, n -> new ArrayList<>()).add(new AuditReport.KeyRow(name, null, null, null, null, null,
          status(js, s -> s.lastRotationTime), status(js, s -> s.nextRotationTime)));
      Secret secret = byName.get(ns + "/" + secretName);
      if (secret != null && Ownership.of(secret, js) == Ownership.OURS) {
        claimed.add(key(secret));
      }
      return;
    }
    EffectiveSpec spec = resolved.spec();
    Profile profile = Profile.effective(spec.environment(), minimum(ns));
    environments.computeIfAbsent(ns, n -> new ArrayList<>()).add(profile.environment());
    managedSecrets.computeIfAbsent(ns, n -> new HashSet<>()).add(spec.secretName());
    List<Finding> own = new ArrayList<>(PolicyRules.judgePlannedKey(spec, profile));
    String keyId = null;
    Instant keyCreated = null;
    Secret secret = byName.get(ns + "/" + spec.secretName());
    if (secret == null) {
      own.add(Finding.violation(SECRET_MISSING, "Secret " + spec.secretName() + " does not exist; the operator creates it"
          + " (is it running, and is the spec valid?)"));
    } else if (conflict(secret, js, spec) != null) {
      own.add(Finding.violation(SECRET_CONFLICT, conflict(secret, js, spec)));
    } else {
      claimed.add(key(secret));
      SecretCodec.Read read = SecretCodec.read(secret, spec, spec.algorithm());
      read.externalChanges().forEach(change -> own.add(Finding.warning(EXTERNAL_CHANGE,
          "Secret " + spec.secretName() + " was changed outside the operator: " + change)));
      if (read.state().isEmpty()) {
        own.add(Finding.violation(NO_KEY, "Secret " + spec.secretName() + " holds no key in data key " + spec.dataKey()));
      } else {
        KeyState state = read.state().get();
        keyId = state.current().id();
        keyCreated = state.current().createdAt();
        own.addAll(PolicyRules.judgeKey(state.current().value().reveal(), state.current().algorithm(), profile));
        holders.laterHolder(new DuplicateKeys.Holder(ns + "/" + name, keyId, keyCreated)).ifPresent(own::add);
      }
    }
    own.addAll(PolicyRules.judgeSettings(spec, profile, keyCreated, now));
    keyRows.computeIfAbsent(ns, n -> new ArrayList<>()).add(keyRow(js, profile, keyId, keyCreated));
    for (Finding f : own) {
      add(ns, name, keyId, f);
    }
  }

  private AuditReport.KeyRow keyRow(JwtSecret js, Profile profile, String keyId, Instant keyCreated) {
    Long age = keyCreated == null ? null : Duration.between(keyCreated, now).toDays();
    Long max = profile.maxRotationInterval().map(Duration::toDays).orElse(null);
    return new AuditReport.KeyRow(js.getMetadata().getName(), profile.environment().value(), keyId,
        keyCreated == null ? null : keyCreated.toString(), age, max, status(js, s -> s.lastRotationTime),
        status(js, s -> s.nextRotationTime));
  }

  private static String status(JwtSecret js, java.util.function.Function<JwtSecretStatus, String> field) {
    String value = js.getStatus() == null ? null : field.apply(js.getStatus());
    return value == null || value.isBlank() ? null : value;
  }

  /** Why the operator cannot use this Secret for the JwtSecret, or null when it can (it is its own, or adoptable). */
  private static String conflict(Secret secret, JwtSecret js, EffectiveSpec spec) {
    return switch (Ownership.of(secret, js)) {
      case OURS -> null;
      case OTHER_JWTSECRET -> "Secret " + spec.secretName() + " is managed for JwtSecret "
          + secret.getMetadata().getAnnotations().get(Labels.OWNER) + " (another one, or a copy of its metadata)";
      case FOREIGN -> spec.adopt() ? Ownership.adoptionRefusal(secret, spec)
          : "Secret " + spec.secretName() + " exists and was not created by the operator; set spec.secret.adopt: true to take it over";
    };
  }

  private void judgeUnmanaged(Secret s, List<Loose> loose, Set<String> withJwtKeys) {
    if (s.getData() == null) {
      return;
    }
    for (Map.Entry<String, String> entry : new java.util.TreeMap<>(s.getData()).entrySet()) {
      if (!UnmanagedKeys.looksLikeJwtKey(entry.getKey())) {
        continue;
      }
      Optional<KeyValue> value = KeyHolders.decode(entry.getValue());
      if (value.isEmpty()) {
        continue;
      }
      withJwtKeys.add(key(s));
      // A Secret a Retain JwtSecret left behind may hold a key pair: its id is then the public key's.
      String keyId = KeyIds.ofClaimed(value.get(), SecretCodec.currentAlgorithm(s, io.photoapp.jwt.api.Algorithm.HS256));
      loose.add(new Loose(s.getMetadata().getNamespace(), s.getMetadata().getName(), entry.getKey(), keyId));
      for (Finding f : UnmanagedKeys.judge(value.get().reveal())) {
        findings.add(AuditFinding.of(s.getMetadata().getNamespace(), AuditFinding.SECRET, s.getMetadata().getName(),
            entry.getKey(), keyId, f));
      }
    }
  }

  /** Unmanaged keys that are a managed key, or that another unmanaged Secret holds too. */
  private void duplicates(List<Loose> loose, KeyHolders holders) {
    for (Loose l : loose) {
      List<String> also = new ArrayList<>(holders.holdersOf(l.keyId(), l.namespace() + "/" + l.secret()));
      loose.stream().filter(o -> o.keyId().equals(l.keyId()) && !(o.namespace().equals(l.namespace()) && o.secret().equals(l.secret())))
          .map(o -> "Secret " + o.namespace() + "/" + o.secret() + " (" + o.dataKey() + ")").distinct().forEach(also::add);
      if (!also.isEmpty()) {
        findings.add(AuditFinding.of(l.namespace(), AuditFinding.SECRET, l.secret(), l.dataKey(), l.keyId(),
            Finding.violation(Finding.DUPLICATE_KEY, "the same key is also held by " + String.join(", ", also)
                + "; every environment needs its own key")));
      }
    }
  }

  private Optional<Environment> minimum(String ns) {
    return minimums.computeIfAbsent(ns, n -> {
      try {
        Namespace namespace = client.namespaces().withName(n).get();
        Map<String, String> labels = namespace == null ? null : namespace.getMetadata().getLabels();
        return labels == null ? Optional.empty() : Environment.parse(labels.get(Labels.MINIMUM_ENVIRONMENT));
      } catch (KubernetesClientException e) {
        notes.add("cannot read namespace " + n + " (" + CliErrors.describe(e) + "): its label "
            + Labels.MINIMUM_ENVIRONMENT + " was not applied");
        return Optional.empty();
      }
    });
  }

  private void add(String ns, String name, String keyId, Finding finding) {
    findings.add(AuditFinding.of(ns, AuditFinding.JWT_SECRET, name, null, keyId, finding));
  }

  private static String key(HasMetadata r) {
    return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
  }

  private static <T extends HasMetadata> List<T> sorted(List<T> items) {
    List<T> copy = new ArrayList<>(items);
    copy.sort(Comparator.comparing(Auditor::key));
    return copy;
  }
}
