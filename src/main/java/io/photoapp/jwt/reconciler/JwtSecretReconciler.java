package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.push.KeyPush;
import io.photoapp.jwt.restart.ArgoRollouts;
import io.photoapp.jwt.restart.RestartTargets;
import io.photoapp.jwt.restart.WorkloadCopies;
import io.photoapp.jwt.restart.WorkloadPatcher;
import io.photoapp.jwt.rotation.KeyRequestThrottle;
import io.photoapp.jwt.secret.CachedCopies;
import io.photoapp.jwt.secret.SecretIndexes;
import io.photoapp.jwt.secret.Succession;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin loop: observe (every read, into an {@link Observation}), plan (the pure {@link Planner}),
 * apply (the {@link Applier}: Secret, public keys, pod templates, stores) and report (the
 * {@link Reporter}: Events, status, metrics).
 */
@ControllerConfiguration(
    name = "jwtsecret",
    generationAwareEventProcessing = false,
    // No finalizer (a deleted namespace never waits for the operator): reconcile also sees the Delete
    // event, and releases a Retain Secret then (see OwnerRelease).
    triggerReconcilerOnAllEvents = true,
    maxReconciliationInterval = @MaxReconciliationInterval(interval = Resync.MINUTES, timeUnit = TimeUnit.MINUTES))
public class JwtSecretReconciler implements Reconciler<JwtSecret> {
  private static final Logger LOG = LoggerFactory.getLogger(JwtSecretReconciler.class);
  /**
   * The finalizer the SDK added while the reconciler was a Cleaner (its default name,
   * {@code <plural>.<group>/finalizer}); removed from every JwtSecret on its next reconcile.
   */
  public static final String LEGACY_FINALIZER = JwtSecret.CRD_NAME + "/finalizer";
  /** How long a managed object whose owner is gone waits before it is released: a restore brings the JwtSecret after its Secret. */
  public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofSeconds(30);
  /** A page of a list the informers make: a Secret may hold up to 1 MiB, so a page holds at most this many. */
  private static final long LIST_PAGE = 25;
  /** How often one reconcile observes: again once when a create finds that someone created the Secret first. */
  private static final int MAX_OBSERVATIONS = 2;

  private final KubernetesClient client;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final Caches caches;
  private final Observer observer;
  private final Planner planner;
  private final Applier applier;
  private final Reporter reporter;
  private final KeyPush push;
  private final StoreSources stores;
  private final io.photoapp.jwt.ops.UnreadableObjects unreadable;
  private final Orphans orphans;
  private final KeysMade keysMade;
  private final OwnerRelease release;
  private final TargetRollouts rollouts;

  /** The reconciler's collaborators, as {@link Wiring} makes them. */
  record Parts(Caches caches, Observer observer, Planner planner, Applier applier, Reporter reporter, KeyPush push,
      StoreSources stores, io.photoapp.jwt.ops.UnreadableObjects unreadable, Orphans orphans, KeysMade keysMade,
      OwnerRelease release, TargetRollouts rollouts) {}

  JwtSecretReconciler(KubernetesClient client, Clock clock, OperatorMetrics metrics, Parts parts) {
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
    this.caches = parts.caches();
    this.observer = parts.observer();
    this.planner = parts.planner();
    this.applier = parts.applier();
    this.reporter = parts.reporter();
    this.push = parts.push();
    this.stores = parts.stores();
    this.unreadable = parts.unreadable();
    this.orphans = parts.orphans();
    this.keysMade = parts.keysMade();
    this.release = parts.release();
    this.rollouts = parts.rollouts();
  }

  /** Managed Secrets and ConfigMaps whose owner is gone: released after a grace, by the leader only. */
  public Orphans orphans() {
    return orphans;
  }

  @Override
  public List<EventSource<?, JwtSecret>> prepareEventSources(EventSourceContext<JwtSecret> context) {
    Set<String> watched = context.getControllerConfiguration().getEffectiveNamespaces();
    // One informer per listed namespace when there are several (see SecondarySource), else one.
    Set<String> partitions = InformerConfiguration.allNamespacesWatched(watched) || watched.size() < 2 ? Set.of() : watched;
    // Tenants can label any Secret or ConfigMap as managed: the caches keep whole only those a cached
    // JwtSecret owns, and pruned copies of the others (CachedCopies); the lists come in pages, so that
    // a namespace of large labelled objects never arrives at once.
    Function<ResourceID, Optional<JwtSecret>> jwtSecrets = id -> context.getPrimaryCache().get(id);
    SecondarySource<Secret> secrets = SecondarySource.of("secrets", partitions, name -> InformerEventSourceConfiguration.from(Secret.class, JwtSecret.class)
        .withName(name)
        .withLabelSelector(Labels.MANAGED + "=" + Labels.TRUE)
        .withSecondaryToPrimaryMapper(s -> ownerOf(s).map(Set::of).orElse(Set.of())),
        s -> CachedCopies.forCache(s, jwtSecrets), LIST_PAGE, context);
    // Also read by the periodic sweep of the metric series of deleted JwtSecrets (see sweepMetrics).
    caches.primaries = context.getPrimaryCache();
    orphans.watch(context.getPrimaryCache(), () -> caches.secretSource, () -> caches.configMapSource);
    secrets.addIndexers(SecretIndexes.all());
    caches.secrets(secrets);
    // The public keys' ConfigMaps (asymmetric algorithms), selected like the Secrets.
    SecondarySource<ConfigMap> configMaps = SecondarySource.of("configmaps", partitions, name -> InformerEventSourceConfiguration.from(ConfigMap.class,
            JwtSecret.class)
        .withName(name)
        .withLabelSelector(Labels.MANAGED + "=" + Labels.TRUE)
        .withSecondaryToPrimaryMapper(c -> ownerOf(c).map(Set::of).orElse(Set.of())),
        c -> CachedCopies.forCache(c, jwtSecrets), LIST_PAGE, context);
    caches.configMaps(configMaps);
    // Workload events find their JwtSecrets by target, not by a scan of the namespace's JwtSecrets.
    context.getPrimaryCache().addIndexer(RestartTargets.INDEX, RestartTargets::keys);
    List<EventSource<?, JwtSecret>> sources = new ArrayList<>();
    sources.addAll(secrets.eventSources());
    sources.addAll(configMaps.eventSources());
    NamespaceLabels namespaceLabels = new NamespaceLabels(client,
        InformerConfiguration.allNamespacesWatched(watched) ? Set.of() : watched,
        ns -> context.getPrimaryCache().list(ns).map(ResourceID::fromResource));
    caches.namespaceLabels = namespaceLabels;
    sources.add(namespaceLabels);
    // A slot of --max-concurrent-rollouts given back reconciles the JwtSecret next in the queue at once.
    SlotWakeups wakeups = new SlotWakeups();
    rollouts.onSlotFreed(wakeups::wake);
    sources.add(wakeups);
    stores.namespaceLabels = namespaceLabels;
    // The stores that spec.push names: a change reconciles the JwtSecrets that name the store.
    context.getPrimaryCache().addIndexer(StoreSources.INDEX, StoreSources::refKeys);
    sources.addAll(stores.eventSources(context, push::forgetStore));
    for (TargetKind kind : TargetKind.values()) {
      if (kind == TargetKind.Rollout && !ArgoRollouts.readable(client,
          InformerConfiguration.allNamespacesWatched(watched) ? Set.of() : watched)) {
        // No Argo Rollouts CRD, or no right to list them: run without; a Rollout target says why.
        LOG.info("{}; Rollout targets are reported as not found", ArgoRollouts.UNAVAILABLE);
        continue;
      }
      SecondarySource<? extends HasMetadata> source = workloadSource(kind, partitions, context);
      caches.workloads.put(kind, source);
      sources.addAll(source.eventSources());
    }
    return sources;
  }

  private <W extends HasMetadata> SecondarySource<W> workloadSource(TargetKind kind, Set<String> partitions,
      EventSourceContext<JwtSecret> context) {
    @SuppressWarnings("unchecked")
    Class<W> type = (Class<W>) WorkloadPatcher.typeOf(kind);
    // The caches keep only what a rollout decision reads (WorkloadCopies).
    return SecondarySource.of(kind.name().toLowerCase(), partitions, name -> informerOf(kind, type)
        .withName(name)
        .withLabelSelector(Labels.RESTARTABLE + "=" + Labels.TRUE)
        .withSecondaryToPrimaryMapper(w -> {
          rollouts.observe(w);
          String prefix = w.getMetadata().getNamespace() + "/" + kind + "/";
          return java.util.stream.Stream.concat(
                  context.getPrimaryCache().byIndex(RestartTargets.INDEX, prefix + w.getMetadata().getName()).stream(),
                  context.getPrimaryCache().byIndex(RestartTargets.INDEX, prefix + RestartTargets.ANY_NAME).stream())
              .filter(js -> RestartTargets.targets(js, kind, w))
              .map(ResourceID::fromResource).collect(Collectors.toSet());
        }),
        WorkloadCopies::forCache, LIST_PAGE, context);
  }

  /** Argo Rollouts are read as generic resources, by group, version and kind. */
  @SuppressWarnings("unchecked")
  private static <W extends HasMetadata> InformerEventSourceConfiguration.Builder<W> informerOf(TargetKind kind, Class<W> type) {
    return kind == TargetKind.Rollout
        ? (InformerEventSourceConfiguration.Builder<W>) (Object) InformerEventSourceConfiguration.from(
            new io.javaoperatorsdk.operator.processing.GroupVersionKind(ArgoRollouts.GROUP, ArgoRollouts.VERSION,
                ArgoRollouts.KIND), JwtSecret.class)
        : InformerEventSourceConfiguration.from(type, JwtSecret.class);
  }

  /** At most {@code max} workloads rolling at once across the cluster ({@code --max-concurrent-rollouts}; default 10). */
  public JwtSecretReconciler limitConcurrentRollouts(int max) {
    rollouts.limit(max);
    return this;
  }

  /** Another key request limit than the default 3 in 10 minutes (the demo rotates every 20 seconds). */
  public JwtSecretReconciler limitKeyRequests(KeyRequestThrottle.Limit limit) {
    planner.limitKeyRequests(limit);
    return this;
  }

  /** The informers' caches, as the reconcile reads them (for tests in this package). */
  Caches caches() {
    return caches;
  }

  /** The stores' informers (for tests in this package). */
  StoreSources stores() {
    return stores;
  }

  /** Secrets in the informer's cache: only managed ones (for tests and diagnostics). */
  public long cachedSecretCount() {
    var secrets = caches.secretSource;
    return secrets == null ? 0 : secrets.list(s -> true).count();
  }

  /** Characters of data held by the cached Secrets and ConfigMaps (for tests and diagnostics). */
  public long cachedDataSize() {
    var secrets = caches.secretSource;
    return secrets == null ? 0 : secrets.list(s -> true).mapToLong(s -> size(s.getData())).sum()
        + caches.configMapSource.list(c -> true).mapToLong(c -> size(c.getData()) + size(c.getBinaryData())).sum();
  }

  private static long size(Map<String, String> data) {
    return data == null ? 0 : data.values().stream().mapToLong(v -> v == null ? 0 : v.length()).sum();
  }

  /** Deployments, StatefulSets, DaemonSets and Argo Rollouts in the informers' caches: only opted-in ones. */
  public long cachedWorkloadCount() {
    return caches.workloads.values().stream().mapToLong(source -> source.list(w -> true).count()).sum();
  }

  /**
   * Findings of the audit's workload rules on the cached workloads, by namespace and rule, for
   * {@code jwtsecret_workload_findings}: computed from the caches when the metrics are read; no call
   * to the API server beyond a namespace label not yet cached, and never a write to a workload.
   */
  public Map<io.photoapp.jwt.audit.WorkloadFindingCounts.Key, Integer> workloadFindingCounts() {
    var cache = caches.primaries;
    var namespaceLabels = caches.namespaceLabels;
    if (cache == null || namespaceLabels == null) {
      return Map.of();
    }
    List<io.photoapp.jwt.audit.WorkloadFacts> facts = caches.workloads.values().stream()
        .flatMap(source -> source.list(w -> true)).map(WorkloadCopies::factsOf).flatMap(Optional::stream).toList();
    return io.photoapp.jwt.audit.WorkloadFindingCounts.count(facts, cache.list(js -> true).toList(), namespaceLabels::minimum);
  }

  /**
   * The JwtSecret a Secret or ConfigMap event concerns: the one its owner annotation names, and only
   * in the object's own namespace (a forged {@code other-ns/x} queues nothing). An object whose owner
   * is not in the cache is also handed to {@link Orphans}, which releases it if the owner is gone.
   */
  private Optional<ResourceID> ownerOf(HasMetadata s) {
    orphans.consider(s);
    return ownerIdOf(s);
  }

  /** Maps a Secret or ConfigMap event to a JwtSecret (exposed for tests of the namespace boundary). */
  public static Optional<ResourceID> ownerIdOf(HasMetadata s) {
    Map<String, String> a = s.getMetadata().getAnnotations();
    String ns = s.getMetadata().getNamespace();
    return Succession.ownerIn(a == null ? null : a.get(Labels.OWNER), ns).map(name -> new ResourceID(name, ns));
  }

  @Override
  public UpdateControl<JwtSecret> reconcile(JwtSecret resource, Context<JwtSecret> context) {
    if (caches.primaryWrites == null) {
      caches.primaryWrites = context.eventSourceRetriever().getControllerEventSource();
    }
    if (context.isPrimaryResourceDeleted()) {
      forgetMetrics(resource);
      release.ownerDeleted(resource);
      return UpdateControl.noUpdate();
    }
    dropLegacyFinalizer(resource);
    if (resource.isMarkedForDeletion()) {
      // Another finalizer holds it: nothing new starts; the Delete event releases the Secret.
      return UpdateControl.noUpdate();
    }
    if (caches.namespaceLabels != null && caches.namespaceLabels.terminating(resource.getMetadata().getNamespace())) {
      // The namespace is going, and everything in it: nothing is made, rotated or retried there.
      return UpdateControl.noUpdate();
    }
    unreadable.observe(resource);
    Secret known = null;
    for (int observations = 1; ; observations++) {
      Observation observed = observer.observe(resource, known, clock.instant());
      Plan plan = planner.plan(observed);
      if (plan instanceof Plan.Blocked blocked) {
        return reporter.report(resource, StatusPlan.blocked(observed, blocked));
      }
      Plan.Proceed proceed = (Plan.Proceed) plan;
      Applier.Outcome outcome = applier.apply(observed, proceed);
      if (outcome.applied() != null) {
        return reporter.report(resource, StatusPlan.proceeded(observed, proceed, outcome.applied()));
      }
      // Someone created the Secret first; nothing was written or announced yet: observe again, with it.
      known = outcome.takenFirst();
      if (observations == MAX_OBSERVATIONS) {
        throw new KubernetesClientException("Secret " + resource.getMetadata().getNamespace() + "/"
            + known.getMetadata().getName() + " was created by someone else while this reconcile wrote it", 409, null);
      }
    }
  }

  /** Removes the finalizer of earlier versions, keeping any other, with a merge patch that carries the resourceVersion. */
  private void dropLegacyFinalizer(JwtSecret resource) {
    List<String> finalizers = resource.getMetadata().getFinalizers();
    if (finalizers == null || !finalizers.contains(LEGACY_FINALIZER)) {
      return;
    }
    List<String> kept = finalizers.stream().filter(f -> !LEGACY_FINALIZER.equals(f)).toList();
    var patch = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().createObjectNode();
    var meta = patch.putObject("metadata");
    meta.put("resourceVersion", resource.getMetadata().getResourceVersion());
    if (kept.isEmpty()) {
      meta.putNull("finalizers");
    } else {
      kept.forEach(meta.putArray("finalizers")::add);
    }
    client.resources(JwtSecret.class).inNamespace(resource.getMetadata().getNamespace()).resource(resource)
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            io.fabric8.kubernetes.client.utils.Serialization.asJson(patch));
    LOG.info("removed the finalizer {} from {}/{}: the operator uses none", LEGACY_FINALIZER,
        resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  /** Removes a deleted JwtSecret's metric series, and those of workloads no JwtSecret targets any more. */
  public void forgetMetrics(JwtSecret deleted) {
    try {
      metrics.forget(deleted.getMetadata().getNamespace(), deleted.getMetadata().getName());
      unreadable.forget(String.valueOf(deleted.getMetadata().getUid()));
      keysMade.forget(String.valueOf(deleted.getMetadata().getUid()));
      push.forgetJwtSecret(String.valueOf(deleted.getMetadata().getUid()));
      rollouts.forget(deleted.getMetadata().getNamespace() + "/" + deleted.getMetadata().getName());
      retainTargetedWorkloads(deleted.getMetadata().getUid());
    } catch (RuntimeException e) {
      // Never let bookkeeping break the informer's delete handling; the sweep tries again.
      LOG.warn("forgetting the metrics of {}/{}: {}", deleted.getMetadata().getNamespace(), deleted.getMetadata().getName(),
          e.toString());
    }
  }

  /**
   * Removes the metric series of JwtSecrets no longer in the cache, and of workloads no JwtSecret
   * targets; the operator runs it periodically (every 30 seconds, OperatorRuntime.METRICS_SWEEP),
   * with or without a finalizer's cleanup.
   */
  public void sweepMetrics() {
    var cache = caches.primaries;
    if (cache == null) {
      return;
    }
    metrics.retainJwtSecrets((ns, name) -> cache.get(new ResourceID(name, ns)).isPresent());
    Set<String> uids = cache.list(js -> true).map(js -> String.valueOf(js.getMetadata().getUid())).collect(Collectors.toSet());
    unreadable.retain(uids::contains);
    keysMade.retain(uids);
    retainTargetedWorkloads(null);
  }

  private void retainTargetedWorkloads(String deletedUid) {
    var cache = caches.primaries;
    if (cache == null) {
      return;
    }
    Set<String> targeted = new HashSet<>();
    cache.list(js -> deletedUid == null || !deletedUid.equals(js.getMetadata().getUid())).forEach(js -> {
      String ns = js.getMetadata().getNamespace();
      if (js.getStatus() != null && js.getStatus().workloads != null) {
        js.getStatus().workloads.stream().filter(w -> w != null && w.kind != null)
            .forEach(w -> targeted.add(ns + "/" + w.kind + "/" + w.name));
      }
      // Named targets count before status lists them (a rollout in flight).
      RestartTargets.keys(js).forEach(targeted::add);
    });
    metrics.retainWorkloads((ns, kind, name) -> targeted.contains(ns + "/" + kind + "/" + name));
  }

  @Override
  public ErrorStatusUpdateControl<JwtSecret> updateErrorStatus(JwtSecret resource, Context<JwtSecret> context, Exception e) {
    metrics.rotationFailed(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    LOG.warn("reconcile of {}/{} failed: {}", resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
        e.getMessage());
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }
}
