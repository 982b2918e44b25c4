package io.photoapp.jwt.ops;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Every Kubernetes API call the operator makes, as RBAC terms: a new API call must be added here
 * (the Helm chart's RBAC is tested to grant exactly this list).
 *
 * <p>Not listed, because every authenticated user may already make it (ClusterRole
 * {@code system:basic-user}): the SDK's {@code create selfsubjectrulesreviews} when leader election
 * starts, to check the Lease permissions below.
 */
public final class ApiPermissions {

  /** One RBAC rule: verbs on one resource (or subresource, {@code jwtsecrets/status}) of one API group. */
  public record Permission(String apiGroup, String resource, List<String> verbs) {
    public Permission {
      Objects.requireNonNull(apiGroup, "apiGroup");
      Objects.requireNonNull(resource, "resource");
      verbs = List.copyOf(verbs);
    }

    static Permission of(String apiGroup, String resource, String... verbs) {
      return new Permission(apiGroup, resource, List.of(verbs));
    }
  }

  public static final String CORE = "";
  public static final String GROUP = "jwt.photoapp.io";
  public static final String APPS = "apps";
  public static final String EVENTS = "events.k8s.io";
  public static final String COORDINATION = "coordination.k8s.io";

  /** Calls on objects in the watched namespaces (every namespace, or those of {@code --namespaces}). */
  public static final List<Permission> WATCHED_NAMESPACES = List.of(
      // Informer on managed Secrets (label-selected: the label narrows the cache, not the grant);
      // creates and merge-patches the Secret; GC deletes it through the ownerReference.
      Permission.of(CORE, "secrets", "get", "list", "watch", "create", "patch"),
      // The public keys of asymmetric JwtSecrets, <secret>-jwks: an informer on managed ConfigMaps
      // (label-selected), a get when one is not cached yet, create and merge patches; GC deletes it.
      Permission.of(CORE, "configmaps", "get", "list", "watch", "create", "patch"),
      Permission.of(GROUP, "jwtsecrets", "get", "list", "watch", "patch", "update"),
      Permission.of(GROUP, "jwtsecrets/status", "patch", "update"),
      // Setting an ownerReference with blockOwnerDeletion to a JwtSecret (deletionPolicy: Delete).
      Permission.of(GROUP, "jwtsecrets/finalizers", "update"),
      // Informers on opted-in workloads; merge-patches of their pod-template annotation.
      Permission.of(APPS, "deployments", "get", "list", "watch", "patch"),
      Permission.of(APPS, "statefulsets", "get", "list", "watch", "patch"),
      Permission.of(APPS, "daemonsets", "get", "list", "watch", "patch"),
      Permission.of(CORE, "events", "get", "create", "patch"),
      // A store's CA bundle in a ConfigMap (spec.vault.caBundle.configMapRef); read at push time.
      Permission.of(CORE, "configmaps", "get"),
      // JwtSecretStores: an informer (the JwtSecrets' pushes and the store's own controller) and Ready in status.
      Permission.of(GROUP, "jwtsecretstores", "get", "list", "watch"),
      Permission.of(GROUP, "jwtsecretstores/status", "patch"),
      // A token for a store's serviceAccountRef (TokenRequest, 10 minutes, the store's audiences).
      Permission.of(CORE, "serviceaccounts/token", "create"));

  /**
   * ClusterJwtSecretStores, cluster-scoped: an informer and Ready in status, granted by a ClusterRole
   * in both modes. A cluster store's references outside the watched namespaces (its Secrets, its
   * serviceAccountRef.namespace) need the grants above in those namespaces too.
   */
  public static final List<Permission> CLUSTER_STORES = List.of(
      Permission.of(GROUP, "clusterjwtsecretstores", "get", "list", "watch"),
      Permission.of(GROUP, "clusterjwtsecretstores/status", "patch"));

  /**
   * Reads of the watched namespaces themselves (label {@code jwt.photoapp.io/minimum-environment}): a
   * watch, so that a label change reconciles the namespace's JwtSecrets; with {@code --namespaces}, one
   * watch per namespace selected by {@code metadata.name}, which {@code resourceNames} can authorise.
   */
  public static final List<Permission> NAMESPACE_READ = List.of(
      Permission.of(CORE, "namespaces", "get", "list", "watch"));

  /**
   * The Lease in the operator's own namespace, only with {@code --leader-election}. fabric8's
   * elector creates it, reads it and renews it with a merge patch; the SDK checks at start that
   * get, create and update are granted; {@link LeaseRelease} gives it up with an update.
   */
  public static final List<Permission> LEADER_ELECTION = List.of(
      Permission.of(COORDINATION, "leases", "get", "create", "update", "patch"));

  /**
   * Argo Rollouts as restart targets ({@code kind: Rollout}): an informer on opted-in Rollouts and
   * merge patches of {@code spec.restartAt} and the key-set annotation. Granted only when the chart
   * value {@code argoRollouts.enabled} is true; without it the operator runs and a Rollout target
   * reports that Rollouts cannot be read. Not part of {@link #ALL}.
   */
  public static final String ARGO = "argoproj.io";
  public static final List<Permission> ARGO_ROLLOUTS = List.of(
      Permission.of(ARGO, "rollouts", "get", "list", "watch", "patch"));

  /** Everything above but the optional {@link #ARGO_ROLLOUTS}. */
  public static final List<Permission> ALL = Stream.of(WATCHED_NAMESPACES, NAMESPACE_READ, CLUSTER_STORES, LEADER_ELECTION)
      .flatMap(List::stream)
      .toList();

  private ApiPermissions() {}
}
