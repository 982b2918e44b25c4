package io.photoapp.jwt.push;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.photoapp.jwt.api.ClusterJwtSecretStore;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStore;
import io.photoapp.jwt.api.Limits;
import io.photoapp.jwt.api.PushTarget;
import io.photoapp.jwt.api.StoreKind;
import io.photoapp.jwt.api.StoreSpec;
import io.photoapp.jwt.spec.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the entries of {@code spec.push} into targets, refusing what a JwtSecret may not do: name a
 * store that does not exist ({@code StoreNotFound}), whose spec cannot be used ({@code StoreNotReady}),
 * or a cluster store that does not admit its namespace ({@code StoreNotAllowed}); give a path that
 * would leave the store's prefix, or that would name another namespace's secret in a cluster store
 * ({@link Prefix#clusterPathProblem}) ({@code InvalidTarget}). A JwtSecretStore is looked up in the
 * JwtSecret's own namespace only: a storeRef has no namespace.
 */
public final class StoreResolver {
  /** The shortest resync interval: a store rewritten on drift is written at most this often. */
  public static final Duration MIN_RESYNC = Duration.ofMinutes(10);
  private final StoreDirectory directory;
  private final boolean allowInsecure;

  public StoreResolver(StoreDirectory directory, boolean allowInsecure) {
    this.directory = directory;
    this.allowInsecure = allowInsecure;
  }

  /** The targets of the entries, in order; an entry repeated under the same id is kept once. */
  public List<Target> resolve(JwtSecret resource) {
    List<Target> targets = new ArrayList<>();
    List<PushTarget> entries = resource.getSpec() == null ? null : resource.getSpec().push;
    if (entries == null) {
      return targets;
    }
    String namespace = resource.getMetadata().getNamespace();
    int restoring = -1;
    for (int i = 0; i < Math.min(entries.size(), Limits.PUSH); i++) {
      Target resolved = resolve(entries.get(i), i, namespace, resource.getMetadata().getName());
      if (resolved.restore()) {
        if (restoring >= 0) {
          resolved = Target.refused(resolved.id(), namespace, PushException.Reason.InvalidTarget, "spec.push[" + i
              + "].restore: at most one entry may restore, and spec.push[" + restoring + "] does");
        } else {
          restoring = i;
        }
      }
      Target t = resolved;
      if (targets.stream().noneMatch(x -> x.id().equals(t.id()))) {
        targets.add(t);
      }
    }
    if (entries.size() > Limits.PUSH) {
      // The schema's maxItems, stated again for a cluster without it: each entry is a store call and a status entry.
      String at = "spec.push[" + Limits.PUSH + "]";
      targets.add(Target.refused(at, namespace, PushException.Reason.InvalidTarget, "spec.push has " + entries.size()
          + " entries, more than " + Limits.PUSH + ": those from " + at + " on are ignored"));
    }
    return targets;
  }

  /** What changes with the store's spec only: its generation (the resourceVersion where a server keeps none). */
  public static String specVersion(HasMetadata store) {
    Long generation = store.getMetadata().getGeneration();
    return generation != null ? "g" + generation : "rv" + store.getMetadata().getResourceVersion();
  }

  /**
   * The target of one entry with what is read back from it: a restore entry stays the restore target
   * while its store is refused (it may not exist yet in a cluster being rebuilt), so that the JwtSecret
   * waits for it rather than generating a key at once.
   */
  Target resolve(PushTarget entry, int index, String namespace, String jwtSecretName) {
    Target t = resolveStore(entry, index, namespace, jwtSecretName);
    if (entry == null) {
      return t;
    }
    String at = "spec.push[" + index + "]";
    boolean restore = Boolean.TRUE.equals(entry.restore);
    Duration restoreTimeout;
    Duration resync;
    try {
      restoreTimeout = entry.restoreTimeout == null ? Target.DEFAULT_RESTORE_TIMEOUT : Durations.parse(entry.restoreTimeout);
      resync = entry.resyncInterval == null ? Target.DEFAULT_RESYNC_INTERVAL : Durations.parse(entry.resyncInterval);
    } catch (IllegalArgumentException e) {
      return Target.refused(t.id(), namespace, PushException.Reason.InvalidTarget, at + ": " + e.getMessage());
    }
    if (resync.compareTo(MIN_RESYNC) < 0) {
      return Target.refused(t.id(), namespace, PushException.Reason.InvalidTarget, at
          + ".resyncInterval: at least " + Durations.format(MIN_RESYNC) + " (AWS advises one write per secret per 10m)");
    }
    if (restore && t.store().isPresent() && t.resolved().cluster()
        && !prefixTemplate(t.resolved().spec(), t.resolved().provider()).contains(Prefix.NAMESPACE)) {
      // Restoring copies what the store holds into this namespace's Secret: from a prefix that admitted
      // namespaces share, one namespace could read another's key set.
      return Target.refused(t.id(), namespace, PushException.Reason.InvalidTarget, at + ".restore: ClusterJwtSecretStore "
          + t.resolved().name() + " has no " + Prefix.NAMESPACE + " in its " + prefixField(t.resolved().provider())
          + ", so admitted namespaces share it and one could read another's key set; restore from a store whose prefix has "
          + Prefix.NAMESPACE);
    }
    return t.withReadBack(new Target.ReadBack(restore, restoreTimeout, resync));
  }

  private Target resolveStore(PushTarget entry, int index, String namespace, String jwtSecretName) {
    String at = "spec.push[" + index + "]";
    Optional<String> nameProblem = storeNameProblem(entry);
    if (nameProblem.isPresent()) {
      return Target.refused(at, namespace, PushException.Reason.InvalidTarget, at + nameProblem.get());
    }
    String name = entry.storeRef.name;
    StoreKind kind = entry.storeRef.kind == null ? StoreKind.JwtSecretStore : entry.storeRef.kind;
    String path = entry.path == null ? jwtSecretName : entry.path;
    String refusedId = kind + "/" + name + ":" + (path.length() > 64 ? path.substring(0, 64) + "..." : path);
    Optional<String> pathProblem = Prefix.pathProblem(path, null);
    if (pathProblem.isPresent()) {
      return Target.refused(refusedId, namespace, PushException.Reason.InvalidTarget, at + "." + pathProblem.get());
    }
    Optional<? extends HasMetadata> found;
    StoreSpec spec;
    String prefixTemplate;
    if (kind == StoreKind.ClusterJwtSecretStore) {
      Optional<ClusterJwtSecretStore> store = directory.cluster(name);
      if (store.isEmpty()) {
        return Target.refused(refusedId, namespace, PushException.Reason.StoreNotFound,
            "ClusterJwtSecretStore " + name + " does not exist");
      }
      if (!NamespaceMatch.admits(store.get().getSpec(), namespace, directory.namespaceLabels(namespace))) {
        return Target.refused(refusedId, namespace, PushException.Reason.StoreNotAllowed,
            "ClusterJwtSecretStore " + name + " does not admit namespace " + namespace + " (spec.conditions)");
      }
      found = store;
      spec = store.get().getSpec();
    } else {
      Optional<JwtSecretStore> store = directory.namespaced(namespace, name);
      if (store.isEmpty()) {
        return Target.refused(refusedId, namespace, PushException.Reason.StoreNotFound,
            "JwtSecretStore " + name + " does not exist in namespace " + namespace);
      }
      found = store;
      spec = store.get().getSpec();
    }
    StoreCheck.Result check = StoreCheck.check(spec, kind == StoreKind.ClusterJwtSecretStore, allowInsecure);
    if (!check.valid()) {
      return Target.refused(refusedId, namespace, PushException.Reason.StoreNotReady,
          kind + " " + name + " is not ready: " + check.message());
    }
    Provider provider = check.provider().orElseThrow();
    Optional<String> providerPathProblem = Prefix.pathProblem(path, provider);
    if (providerPathProblem.isPresent()) {
      return Target.refused(refusedId, namespace, PushException.Reason.InvalidTarget, at + "." + providerPathProblem.get());
    }
    prefixTemplate = prefixTemplate(spec, provider);
    if (kind == StoreKind.ClusterJwtSecretStore) {
      Optional<String> shared = Prefix.clusterPathProblem(provider, prefixTemplate, path);
      if (shared.isPresent()) {
        return Target.refused(refusedId, namespace, PushException.Reason.InvalidTarget, at + "." + shared.get());
      }
    }
    String location = Prefix.location(provider, Prefix.expand(prefixTemplate, namespace), path);
    int max = provider == Provider.AZURE_KEY_VAULT ? 127 : 512;
    if (location.length() + Target.JWKS_SUFFIX.length() > max) {
      return Target.refused(refusedId, namespace, PushException.Reason.InvalidTarget,
          at + ".path is too long for the store: prefix and path make more than " + (max - Target.JWKS_SUFFIX.length()) + " characters");
    }
    HasMetadata object = found.get();
    ResolvedStore store = new ResolvedStore(kind, name, kind == StoreKind.ClusterJwtSecretStore ? null : namespace,
        object.getMetadata().getUid(), specVersion(object), spec, provider);
    return Target.usable(store, namespace, location);
  }

  /**
   * Why an entry's storeRef.name cannot be used, never quoting it: the schema's rule, stated again for a
   * cluster whose CRD has none, since the name goes into the target's id (status, Events, logs, metrics).
   */
  private static Optional<String> storeNameProblem(PushTarget entry) {
    if (entry == null || entry.storeRef == null || entry.storeRef.name == null || entry.storeRef.name.isBlank()) {
      return Optional.of(".storeRef.name is required");
    }
    if (!StoreCheck.isObjectName(entry.storeRef.name)) {
      return Optional.of(".storeRef.name must be an object name: lower-case letters, digits, '-' and '.', at most 253 characters");
    }
    return Optional.empty();
  }

  /** The store's prefix as written, {@code {namespace}} unexpanded; empty when it has none. */
  static String prefixTemplate(StoreSpec spec, Provider provider) {
    String prefix = switch (provider) {
      case VAULT -> spec.vault.pathPrefix;
      case AWS_SECRETS_MANAGER -> spec.awsSecretsManager.namePrefix;
      case AZURE_KEY_VAULT -> spec.azureKeyVault.namePrefix;
    };
    return prefix == null ? "" : prefix;
  }

  private static String prefixField(Provider provider) {
    return provider == Provider.VAULT ? "pathPrefix" : "namePrefix";
  }
}
