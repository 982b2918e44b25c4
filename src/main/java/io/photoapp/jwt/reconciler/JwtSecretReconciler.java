package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.dependent.RecentOperationCacheFiller;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.ops.EventReasons;
import io.photoapp.jwt.ops.EventRecorder;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.policy.DuplicateKeys;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.policy.PolicyRules;
import io.photoapp.jwt.policy.Profile;
import io.photoapp.jwt.push.KeyPush;
import io.photoapp.jwt.push.StoreResolver;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.restart.WorkloadCopies;
import io.photoapp.jwt.restart.WorkloadPatcher;
import io.photoapp.jwt.rotation.Action;
import io.photoapp.jwt.rotation.KeyRequestThrottle;
import io.photoapp.jwt.rotation.Reasons;
import io.photoapp.jwt.rotation.RotationDecision;
import io.photoapp.jwt.rotation.RotationInput;
import io.photoapp.jwt.rotation.RotationPlanner;
import io.photoapp.jwt.secret.CachedCopies;
import io.photoapp.jwt.secret.ConfigMapWriter;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.secret.KeyState;
import io.photoapp.jwt.secret.Ownership;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.secret.SecretIndexes;
import io.photoapp.jwt.secret.SecretWriter;
import io.photoapp.jwt.secret.Succession;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
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
 * The thin loop: gather (JwtSecret, Secret, targets), decide (pure planners), act (Secret first, then
 * pod templates, then status), report (conditions, events, metrics).
 */
@ControllerConfiguration(
    name = "jwtsecret",
    generationAwareEventProcessing = false,
    // No finalizer (a deleted namespace never waits for the operator): reconcile also sees the Delete
    // event, and releases a Retain Secret then (see ownerDeleted).
    triggerReconcilerOnAllEvents = true,
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class JwtSecretReconciler implements Reconciler<JwtSecret> {
  private static final Logger LOG = LoggerFactory.getLogger(JwtSecretReconciler.class);
  /** Index of the JwtSecrets' cache by restart target; see {@link TargetRollouts#targetKeys}. */
  private static final String TARGETS_INDEX = "restart-targets";
  /**
   * The finalizer the SDK added while the reconciler was a Cleaner (its default name,
   * {@code <plural>.<group>/finalizer}); removed from every JwtSecret on its next reconcile.
   */
  public static final String LEGACY_FINALIZER = JwtSecret.CRD_NAME + "/finalizer";
  /** How long a managed object whose owner is gone waits before it is released: a restore brings the JwtSecret after its Secret. */
  public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofSeconds(30);
  /** How soon a reconcile that found the asymmetric key generator busy looks again. */
  private static final Duration GENERATOR_RETRY = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final EventRecorder events;
  private final KeyActions keyActions;
  private final SecretWriter secretWriter;
  private final ConfigMapWriter configMapWriter;
  private final StatusWriter statusWriter;
  private final Announcer announcer;
  private final StoreRestore storeRestore;
  private final TargetRollouts rollouts;
  private final KeyPush push;
  /** A page of a list the informers make: a Secret may hold up to 1 MiB, so a page holds at most this many. */
  private static final long LIST_PAGE = 25;

  private SecondarySource<Secret> secrets;
  private SecondarySource<ConfigMap> configMaps;
  private NamespaceLabels namespaceLabels;
  /** The SDK's cache of JwtSecrets, told of each status this operator writes (see {@link #finish}). */
  private volatile RecentOperationCacheFiller<JwtSecret> primaries;
  private final Map<TargetKind, SecondarySource<? extends HasMetadata>> workloads = new EnumMap<>(TargetKind.class);
  private final StoreSources stores;
  private final io.photoapp.jwt.ops.UnreadableObjects unreadable;
  /** The SDK's cache of JwtSecrets: who still exists (orphans, the sweep of metric series). */
  private volatile io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache<JwtSecret> primaryCache;
  private final Orphans orphans;
  private volatile KeyRequestThrottle.Limit keyRequests = KeyRequestThrottle.Limit.DEFAULT;
  /**
   * Recent key creation times by JwtSecret uid, as this process wrote them: the Secret's record goes
   * when someone deletes the Secret, this one does not. Pruned to the window; swept with the metrics.
   */
  private final Map<String, List<Instant>> keysMade = new java.util.concurrent.ConcurrentHashMap<>();

  public JwtSecretReconciler(KubernetesClient client, Clock clock, OperatorMetrics metrics, EventRecorder events,
      KeyGenerator generator, String fieldManager) {
    this(client, clock, metrics, events, generator, fieldManager, false);
  }

  public JwtSecretReconciler(KubernetesClient client, Clock clock, OperatorMetrics metrics, EventRecorder events,
      KeyGenerator generator, String fieldManager, boolean allowInsecureStores) {
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
    this.events = events;
    this.keyActions = new KeyActions(generator);
    this.secretWriter = new SecretWriter(client, fieldManager);
    this.configMapWriter = new ConfigMapWriter(client, fieldManager);
    this.statusWriter = new StatusWriter(client);
    this.announcer = new Announcer(events, metrics);
    this.rollouts = new TargetRollouts(client, new WorkloadPatcher(client, fieldManager, clock), metrics, events, workloads,
        clock);
    this.stores = new StoreSources();
    this.push = new KeyPush(client, new StoreResolver(stores, allowInsecureStores), metrics, events);
    this.unreadable = new io.photoapp.jwt.ops.UnreadableObjects(metrics);
    this.orphans = new Orphans(client, secretWriter, configMapWriter, DEFAULT_ORPHAN_GRACE);
    this.storeRestore = new StoreRestore(push, events);
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
    secrets = SecondarySource.of("secrets", partitions, name -> InformerEventSourceConfiguration.from(Secret.class, JwtSecret.class)
        .withName(name)
        .withLabelSelector(Labels.MANAGED + "=" + Labels.TRUE)
        .withSecondaryToPrimaryMapper(s -> ownerOf(s).map(Set::of).orElse(Set.of())),
        s -> CachedCopies.forCache(s, jwtSecrets), LIST_PAGE, context);
    // Also read by the periodic sweep of the metric series of deleted JwtSecrets (see sweepMetrics).
    primaryCache = context.getPrimaryCache();
    orphans.watch(context.getPrimaryCache(), () -> secrets, () -> configMaps);
    secrets.addIndexers(SecretIndexes.all());
    // The public keys' ConfigMaps (asymmetric algorithms), selected like the Secrets.
    configMaps = SecondarySource.of("configmaps", partitions, name -> InformerEventSourceConfiguration.from(ConfigMap.class,
            JwtSecret.class)
        .withName(name)
        .withLabelSelector(Labels.MANAGED + "=" + Labels.TRUE)
        .withSecondaryToPrimaryMapper(c -> ownerOf(c).map(Set::of).orElse(Set.of())),
        c -> CachedCopies.forCache(c, jwtSecrets), LIST_PAGE, context);
    // Workload events find their JwtSecrets by target, not by a scan of the namespace's JwtSecrets.
    context.getPrimaryCache().addIndexer(TARGETS_INDEX, TargetRollouts::targetKeys);
    List<EventSource<?, JwtSecret>> sources = new ArrayList<>();
    sources.addAll(secrets.eventSources());
    sources.addAll(configMaps.eventSources());
    namespaceLabels = new NamespaceLabels(client,
        InformerConfiguration.allNamespacesWatched(watched) ? Set.of() : watched,
        ns -> context.getPrimaryCache().list(ns).map(ResourceID::fromResource));
    sources.add(namespaceLabels);
    stores.namespaceLabels = namespaceLabels;
    // The stores that spec.push names: a change reconciles the JwtSecrets that name the store.
    context.getPrimaryCache().addIndexer(StoreSources.INDEX, StoreSources::refKeys);
    sources.addAll(stores.eventSources(context, push::forgetStore));
    for (TargetKind kind : TargetKind.values()) {
      if (kind == TargetKind.Rollout && !io.photoapp.jwt.restart.ArgoRollouts.readable(client,
          InformerConfiguration.allNamespacesWatched(watched) ? Set.of() : watched)) {
        // No Argo Rollouts CRD, or no right to list them: run without; a Rollout target says why.
        LOG.info("{}; Rollout targets are reported as not found", io.photoapp.jwt.restart.ArgoRollouts.UNAVAILABLE);
        continue;
      }
      SecondarySource<? extends HasMetadata> source = workloadSource(kind, partitions, context);
      workloads.put(kind, source);
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
                  context.getPrimaryCache().byIndex(TARGETS_INDEX, prefix + w.getMetadata().getName()).stream(),
                  context.getPrimaryCache().byIndex(TARGETS_INDEX, prefix + TargetRollouts.ANY_NAME).stream())
              .filter(js -> TargetRollouts.targets(js, kind, w))
              .map(ResourceID::fromResource).collect(Collectors.toSet());
        }),
        WorkloadCopies::forCache, LIST_PAGE, context);
  }

  /** Argo Rollouts are read as generic resources, by group, version and kind. */
  @SuppressWarnings("unchecked")
  private static <W extends HasMetadata> InformerEventSourceConfiguration.Builder<W> informerOf(TargetKind kind, Class<W> type) {
    return kind == TargetKind.Rollout
        ? (InformerEventSourceConfiguration.Builder<W>) (Object) InformerEventSourceConfiguration.from(
            new io.javaoperatorsdk.operator.processing.GroupVersionKind(io.photoapp.jwt.restart.ArgoRollouts.GROUP,
                io.photoapp.jwt.restart.ArgoRollouts.VERSION, io.photoapp.jwt.restart.ArgoRollouts.KIND), JwtSecret.class)
        : InformerEventSourceConfiguration.from(type, JwtSecret.class);
  }

  /** At most {@code max} workloads rolling at once across the cluster ({@code --max-concurrent-rollouts}; default 10). */
  public JwtSecretReconciler limitConcurrentRollouts(int max) {
    rollouts.limit(max);
    return this;
  }

  /** Another key request limit than the default 3 in 10 minutes (the demo rotates every 20 seconds). */
  public JwtSecretReconciler limitKeyRequests(KeyRequestThrottle.Limit limit) {
    this.keyRequests = limit;
    return this;
  }

  /** Secrets in the informer's cache: only managed ones (for tests and diagnostics). */
  public long cachedSecretCount() {
    return secrets == null ? 0 : secrets.list(s -> true).count();
  }

  /** Characters of data held by the cached Secrets and ConfigMaps (for tests and diagnostics). */
  public long cachedDataSize() {
    return secrets == null ? 0 : secrets.list(s -> true).mapToLong(s -> size(s.getData())).sum()
        + configMaps.list(c -> true).mapToLong(c -> size(c.getData()) + size(c.getBinaryData())).sum();
  }

  private static long size(Map<String, String> data) {
    return data == null ? 0 : data.values().stream().mapToLong(v -> v == null ? 0 : v.length()).sum();
  }

  /** Deployments, StatefulSets and DaemonSets in the informers' caches: only opted-in ones. */
  public long cachedWorkloadCount() {
    return workloads.values().stream().mapToLong(source -> source.list(w -> true).count()).sum();
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
    if (primaries == null) {
      primaries = context.eventSourceRetriever().getControllerEventSource();
    }
    if (context.isPrimaryResourceDeleted()) {
      ownerDeleted(resource);
      return UpdateControl.noUpdate();
    }
    dropLegacyFinalizer(resource);
    if (resource.isMarkedForDeletion()) {
      // Another finalizer holds it: nothing new starts; the Delete event releases the Secret.
      return UpdateControl.noUpdate();
    }
    unreadable.observe(resource);
    return reconcileWith(resource, null);
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

  /**
   * @param known the Secret as the server has it, when a create just found one the informer does not
   *     cache; otherwise null, and the Secret comes from the cache alone (no GET per reconcile).
   */
  private UpdateControl<JwtSecret> reconcileWith(JwtSecret resource, Secret known) {
    Instant now = clock.instant();
    String ns = resource.getMetadata().getNamespace();
    Long generation = resource.getMetadata().getGeneration();
    JwtSecretStatus old = resource.getStatus() == null ? new JwtSecretStatus() : resource.getStatus();
    StatusDraft draft = new StatusDraft(old, generation, now);

    SpecResolver.Result resolved = SpecResolver.resolve(resource);
    if (resolved.spec() == null) {
      return finish(resource, invalid(resource, old, draft, resolved), Optional.empty());
    }
    // With a spec invalid only in its rotation settings, requests or targets, the Secret is still
    // read: a rotation in progress, an emergency and a retirement run; nothing new starts.
    EffectiveSpec spec = resolved.spec().withApprovalFloor(namespaceLabels.requiresApproval(ns));
    boolean specValid = resolved.valid();

    // Gather.
    // A Secret outside the cache (a foreign one: not labelled as managed) shows when the create meets
    // it; one already reported as a conflict is read, so that the reconciles after write nothing.
    Secret secret = known != null ? known : cachedSecret(ns, spec.secretName())
        .orElseGet(() -> Conditions.find(old.conditions, Conditions.READY)
            .filter(c -> Conditions.SECRET_CONFLICT.equals(c.getReason())
                || Conditions.ADOPTION_REFUSED.equals(c.getReason())).isPresent()
            ? client.secrets().inNamespace(ns).withName(spec.secretName()).get() : null);
    Optional<String> immutability = secretSpecChange(resource, spec, secret);
    if (immutability.isPresent()) {
      draft.ready(false, Conditions.SECRET_SPEC_IMMUTABLE, immutability.get());
      announcer.warnOnChange(resource, old, Conditions.READY, EventReasons.SECRET_SPEC_IMMUTABLE, immutability.get());
      return finish(resource, draft, Optional.empty());
    }
    boolean adopting = false;
    boolean restoring = false;
    if (secret != null) {
      Ownership ownership = Ownership.of(secret, resource);
      Verdict verdict = verdict(secret, resource, spec, ownership);
      if (verdict.reason() != null) {
        draft.ready(false, verdict.reason(), verdict.message());
        announcer.warnOnChange(resource, old, Conditions.READY, verdict.reason(), verdict.message());
        return finish(resource, draft, Optional.empty());
      }
      adopting = ownership == Ownership.FOREIGN;
      restoring = verdict.restoring();
    }
    Profile profile = Profile.effective(spec.environment(), namespaceMinimum(ns));
    SecretCodec.Read read = secret == null ? new SecretCodec.Read(Optional.empty(), List.of())
        : SecretCodec.read(secret, spec, spec.algorithm());
    Optional<KeyState> state = read.state();
    // No Secret and no key yet: rebuild from the store of spec.push[].restore, if one is named.
    StoreRestore.Outcome fromStore = secret == null && state.isEmpty() && specValid
        ? storeRestore.attempt(resource, false, old, profile, spec.effectiveGrace(), now) : StoreRestore.Outcome.NONE;
    if (fromStore.waiting()) {
      draft.ready(false, Conditions.RESTORE_PENDING, fromStore.pending().get());
      announcer.warnOnChange(resource, old, Conditions.READY, EventReasons.RESTORE_PENDING, fromStore.pending().get());
      return finish(resource, draft, fromStore.recheckAfter());
    }
    boolean restoredFromStore = fromStore.restored().isPresent();
    if (restoredFromStore) {
      state = fromStore.restored();
    }
    PublicKeys publicKeys = publicKeys(resource, spec, state);
    if (publicKeys.conflict() != null) {
      draft.ready(false, publicKeys.conflict().reason(), publicKeys.conflict().message());
      announcer.warnOnChange(resource, old, Conditions.READY, publicKeys.conflict().reason(), publicKeys.conflict().message());
      return finish(resource, draft, Optional.empty());
    }
    if (!read.externalChanges().isEmpty() && !adopting) {
      events.warning(resource, EventReasons.EXTERNAL_CHANGE, "Secret " + spec.secretName() + " was changed outside the operator: "
          + String.join("; ", read.externalChanges()));
    }
    List<Finding> keyFindings = state.map(s -> judgeKeys(resource, s, profile)).orElse(List.of());
    List<Finding> plannedFindings = PolicyRules.judgePlannedKey(spec, profile);
    Map<String, Long> recordedGenerations = TargetRollouts.recordedGenerations(old);
    RolloutAssessment rollout = state.map(s -> rollouts.assess(resource, spec, s, recordedGenerations)).orElse(null);

    // Decide.
    RotationDecision decision = RotationPlanner.decide(new RotationInput(spec, state, adopting,
        old.keyId != null && secret == null, keyFindings.stream().anyMatch(f -> f.isViolation() && f.aboutKey()),
        plannedFindings.isEmpty(), rollout != null && rollout.complete(), now, specValid));
    // At most 3 new keys within 10 minutes: a further request waits, whatever asks for it.
    List<Instant> recordedKeys = recordedKeyTimes(secret, state, old);
    recordedKeys.addAll(keysMade.getOrDefault(String.valueOf(resource.getMetadata().getUid()), List.of()));
    Optional<Instant> throttledUntil = decision.writesSecret() && KeyRequestThrottle.makesKey(decision, state)
        ? KeyRequestThrottle.waitUntil(keyRequests, recordedKeys, now) : Optional.empty();
    if (throttledUntil.isPresent()) {
      decision = new RotationDecision(Action.HOLD, "", Optional.of(Duration.between(now, throttledUntil.get())),
          "the key request throttle");
    }

    // Act: the Secret first.
    // A changed token lifetime or deletionPolicy changes no key, so no key decision writes it.
    boolean settingsStale = secret != null && state.isPresent() && !adopting
        && !SecretCodec.settingsFollowSpec(secret, spec, resource);
    if (decision.writesSecret() || (!read.externalChanges().isEmpty() && state.isPresent()) || settingsStale
        || (restoring && state.isPresent()) || restoredFromStore) {
      KeyState before = state.orElse(null);
      KeyState after;
      try {
        after = keyActions.apply(decision, state, spec, old.rotationCount == null ? 0 : old.rotationCount, now);
      } catch (KeyActions.GeneratorBusy e) {
        // Nothing written yet: the same decision is taken again once the generator is free.
        LOG.debug("{}/{}: another asymmetric key is being generated; trying again shortly", ns, resource.getMetadata().getName());
        return finish(resource, draft, Optional.of(GENERATOR_RETRY));
      }
      Secret desired = SecretCodec.render(secret, after, spec, resource, spec.tokenLifetimeMinutes());
      List<Instant> recentKeys = new ArrayList<>(recordedKeys);
      recentKeys.addAll(KeyRequestThrottle.creationTimes(Optional.of(after)));
      String recent = KeyRequestThrottle.format(keyRequests, recentKeys, now);
      if (!recent.isEmpty()) {
        desired.getMetadata().getAnnotations().put(Labels.RECENT_KEYS, recent);
      }
      List<Instant> window = KeyRequestThrottle.recent(keyRequests, recentKeys, now);
      if (window.isEmpty()) {
        keysMade.remove(String.valueOf(resource.getMetadata().getUid()));
      } else {
        keysMade.put(String.valueOf(resource.getMetadata().getUid()), List.copyOf(window));
      }
      Secret written;
      try {
        written = secret == null ? secretWriter.create(desired) : secretWriter.patch(secret, desired);
      } catch (SecretWriter.AlreadyExists e) {
        if (known != null) {
          throw e;
        }
        // Nothing was written or announced yet: decide again with the Secret that is there.
        return reconcileWith(resource, e.existing());
      }
      if (secret == null) {
        secrets.handleRecentResourceCreate(ResourceID.fromResource(written), written);
      } else if (written != secret) {
        secrets.handleRecentResourceUpdate(ResourceID.fromResource(written), written, secret);
      }
      if (restoring) {
        events.normal(resource, EventReasons.RESTORED, "Took over Secret " + spec.secretName()
            + ", which named this JwtSecret with a uid that no longer exists (a restore): key " + after.current().id()
            + " kept in phase " + after.phase() + ", no rotation");
      }
      if (restoredFromStore) {
        events.normal(resource, EventReasons.RESTORED, "Restored key set " + before.keySet() + " from "
            + fromStore.storeId() + " into Secret " + spec.secretName() + ": no new key");
      }
      announcer.announce(resource, decision, before, after, spec);
      if (decision.action() == Action.EMERGENCY && Reasons.POLICY_VIOLATION.equals(decision.reason())) {
        // The rejected key leaves with this write, and its findings with it: say which rule it broke.
        events.warning(resource, EventReasons.POLICY_VIOLATION, "the key in Secret " + spec.secretName()
            + " was replaced because it breaks the profile: "
            + Finding.violationsText(keyFindings.stream().filter(Finding::aboutKey).toList()));
      }
      state = Optional.of(after);
      keyFindings = judgeKeys(resource, after, profile);
      rollout = rollouts.assess(resource, spec, after, recordedGenerations);
    }

    // Right after the Secret, the public keys: verifiers know a key before any pod signs with it.
    if (state.isPresent()) {
      publish(resource, spec, state.get(), publicKeys);
    }

    // Then the pod templates.
    if (rollout != null && !rollout.toPatch().isEmpty()) {
      rollout = rollouts.roll(resource, spec, state.get(), rollout, recordedGenerations);
    }

    // What holds the rotation now, after this reconcile's writes: status says it in the same patch,
    // rather than the next reconcile rewriting the message (one status patch per stage).
    if (decision.writesSecret() && state.isPresent()) {
      decision = RotationPlanner.afterActing(new RotationInput(spec, state, false, false,
          keyFindings.stream().anyMatch(f -> f.isViolation() && f.aboutKey()), plannedFindings.isEmpty(),
          rollout != null && rollout.complete(), now, specValid));
    }

    // Then status.
    List<Finding> findings = new ArrayList<>(keyFindings);
    findings.addAll(plannedFindings);
    findings.addAll(PolicyRules.judgeSettings(spec, profile, state.map(s -> s.current().createdAt()).orElse(null), now));
    draft.policy(findings);
    if (!plannedFindings.isEmpty() || findings.stream().anyMatch(Finding::isViolation)) {
      announcer.warnOnChange(resource, old, Conditions.POLICY_COMPLIANT, EventReasons.POLICY_VIOLATION,
          draft.conditionMessage(Conditions.POLICY_COMPLIANT));
    }
    if (state.isEmpty()) {
      draft.ready(false, Conditions.POLICY_VIOLATION,
          "no key: the spec makes keys the profile rejects (" + Finding.violationsText(plannedFindings) + ")");
    } else {
      KeyState s = state.get();
      boolean rejected = keyFindings.stream().anyMatch(f -> f.isViolation() && f.aboutKey());
      Instant nextRotation = !specValid ? SecretCodec.parseTime(old.nextRotationTime).orElse(null)
          : spec.paused() ? null : RotationPlanner.nextDue(spec, s).orElse(null);
      draft.keys(s, nextRotation);
      if (rejected) {
        draft.ready(false, Conditions.POLICY_VIOLATION, "the current key breaks the profile: "
            + Finding.violationsText(keyFindings) + (decision.action() == Action.HOLD ? "; " + decision.waitingFor() : ""));
      } else {
        // Restored stays until the key or the spec changes: the reconcile that the takeover's own
        // write triggers must not hide it at once.
        boolean stillRestored = restoring || restoredFromStore || (!decision.writesSecret() && s.current().id().equals(old.keyId)
            && java.util.Objects.equals(old.observedGeneration, generation)
            && Conditions.find(old.conditions, Conditions.READY).filter(c -> Conditions.RESTORED.equals(c.getReason())).isPresent());
        draft.ready(true, stillRestored ? Conditions.RESTORED
                : Reasons.ADOPTED.equals(s.reason()) && s.rotationCount() == 0 ? Conditions.ADOPTED : Conditions.SECRET_READY,
            "Secret " + spec.secretName() + " holds key " + s.current().id()
                + (JwksConfigMap.needed(s) ? "; public keys in ConfigMap " + JwksConfigMap.nameFor(spec.secretName()) : "")
                + (decision.waitingFor().isEmpty() ? "" : "; waiting for " + decision.waitingFor()));
      }
      draft.gate(decision);
      announcer.gateEvents(resource, old, draft);
      draft.rollout(rollout, spec, s, now);
      announcer.rolloutEvents(resource, old, draft);
    }
    // Then the external stores: after the Secret, only with a key the profile accepts, never holding it up.
    Optional<Duration> recheck = decision.recheckAfter();
    if (rollout != null && !rollout.queued().isEmpty()) {
      // Queued behind --max-concurrent-rollouts: look again for a free slot soon.
      recheck = Optional.of(recheck.filter(d -> d.compareTo(TargetRollouts.QUEUE_RECHECK) < 0).orElse(TargetRollouts.QUEUE_RECHECK));
    }
    if (state.isPresent() && draft.condition(Conditions.READY).map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false)) {
      KeyPush.Report pushed = push.sync(resource, state.get(), old.push, now);
      draft.push(pushed);
      recheck = pushed.sooner(recheck);
    }
    if (throttledUntil.isPresent()) {
      String message = KeyRequestThrottle.message(keyRequests, throttledUntil.get(), now);
      draft.ready(false, Conditions.KEY_REQUEST_THROTTLED, message);
      boolean told = Conditions.find(old.conditions, Conditions.READY)
          .map(c -> Conditions.KEY_REQUEST_THROTTLED.equals(c.getReason())).orElse(false);
      if (!told) {
        events.warning(resource, EventReasons.KEY_REQUEST_THROTTLED, message);
      }
    }
    if (!specValid) {
      invalid(resource, old, draft, resolved);
    }
    return finish(resource, draft, recheck);
  }

  /** When keys were made for this JwtSecret, as its Secret and status record them (see {@link KeyRequestThrottle}). */
  private static List<Instant> recordedKeyTimes(Secret secret, Optional<KeyState> state, JwtSecretStatus old) {
    List<Instant> times = new ArrayList<>(KeyRequestThrottle.creationTimes(state));
    if (secret != null && secret.getMetadata().getAnnotations() != null) {
      times.addAll(KeyRequestThrottle.parse(secret.getMetadata().getAnnotations().get(Labels.RECENT_KEYS)));
    }
    // A deleted Secret takes its record with it; status keeps the last key's creation time.
    SecretCodec.parseTime(old.keyCreatedAt).ifPresent(times::add);
    return times;
  }

  /** Reports an invalid spec: Ready and PolicyCompliant False with reason InvalidSpec, and a Warning. */
  private StatusDraft invalid(JwtSecret resource, JwtSecretStatus old, StatusDraft draft, SpecResolver.Result resolved) {
    String message = String.join("; ", resolved.problems());
    draft.ready(false, Conditions.INVALID_SPEC, message);
    draft.compliant(false, Conditions.INVALID_SPEC, message);
    announcer.warnOnChange(resource, old, Conditions.READY, EventReasons.INVALID_SPEC, message);
    return draft;
  }

  /** The public keys' ConfigMap as found, or why it cannot be written. */
  private record PublicKeys(ConfigMap existing, Verdict conflict) {}

  /**
   * Whether a JwtSecret may write an existing Secret or ConfigMap: a reason and message when it may
   * not (SecretConflict, AdoptionRefused), else whether it takes it over from a former uid (Restored).
   */
  record Verdict(String reason, String message, boolean restoring) {
    static final Verdict WRITABLE = new Verdict(null, null, false);
  }

  private Verdict verdict(HasMetadata object, JwtSecret resource, EffectiveSpec spec, Ownership ownership) {
    String kind = object instanceof ConfigMap ? "ConfigMap " : "Secret ";
    String name = kind + object.getMetadata().getName();
    return switch (ownership) {
      case OURS -> Verdict.WRITABLE;
      case OTHER_JWTSECRET -> {
        Succession.Claim claim = Succession.claim(object, resource, formerOwnerLive(object),
            Ownership.allowedDataKeys(object, spec));
        if (claim instanceof Succession.Conflict c) {
          yield new Verdict(Conditions.SECRET_CONFLICT, c.message(), false);
        }
        if (claim instanceof Succession.Refused r) {
          yield new Verdict(Conditions.ADOPTION_REFUSED, r.refusal().message(), false);
        }
        yield new Verdict(null, null, true);
      }
      case FOREIGN -> {
        if (!spec.adopt()) {
          yield new Verdict(Conditions.SECRET_CONFLICT, name
              + " exists and was not created by the operator; set spec.secret.adopt: true to take it over", false);
        }
        String refusal = Ownership.adoptionRefusal(object, spec);
        yield refusal == null ? Verdict.WRITABLE : new Verdict(Conditions.ADOPTION_REFUSED, refusal, false);
      }
    };
  }

  /** Whether a JwtSecret with the uid an object records as its owner exists (in the cache: every watched namespace). */
  private boolean formerOwnerLive(HasMetadata object) {
    String uid = object.getMetadata().getAnnotations() == null ? null : object.getMetadata().getAnnotations().get(Labels.OWNER_UID);
    return uid != null && primaryCache != null && primaryCache.list().anyMatch(js -> uid.equals(js.getMetadata().getUid()));
  }

  /**
   * Finds the ConfigMap {@code <secret>-jwks}. Only JwtSecrets with asymmetric keys (now, or from the
   * next key on) look for one that is not in the cache; one that is someone else's is a conflict,
   * unless {@code adopt: true} takes it over as it does the Secret.
   */
  private PublicKeys publicKeys(JwtSecret resource, EffectiveSpec spec, Optional<KeyState> state) {
    String ns = resource.getMetadata().getNamespace();
    String name = JwksConfigMap.nameFor(spec.secretName());
    boolean wanted = spec.algorithm().isAsymmetric() || state.map(JwksConfigMap::needed).orElse(false);
    ConfigMap existing = cachedConfigMap(ns, name)
        .orElseGet(() -> wanted ? client.configMaps().inNamespace(ns).withName(name).get() : null);
    if (existing == null) {
      return new PublicKeys(null, null);
    }
    Ownership ownership = Ownership.of(existing, resource);
    if (ownership == Ownership.OURS) {
      return new PublicKeys(existing, null);
    }
    if (!wanted) {
      return new PublicKeys(null, null);
    }
    Verdict verdict = verdict(existing, resource, spec, ownership);
    return new PublicKeys(existing, verdict.reason() == null ? null : verdict);
  }

  /** Creates or patches the ConfigMap when its content differs from the state's public keys. */
  private void publish(JwtSecret resource, EffectiveSpec spec, KeyState state, PublicKeys publicKeys) {
    ConfigMap existing = publicKeys.existing();
    if (existing == null && !JwksConfigMap.needed(state)) {
      return;
    }
    ConfigMap desired = JwksConfigMap.render(existing, state, spec, resource);
    if (existing == null) {
      ConfigMap created = configMapWriter.create(desired);
      configMaps.handleRecentResourceCreate(ResourceID.fromResource(created), created);
      LOG.info("created ConfigMap {}/{} with the public keys of {}", created.getMetadata().getNamespace(),
          created.getMetadata().getName(), state.keySet());
      return;
    }
    ConfigMap written = configMapWriter.patch(existing, desired);
    if (written != existing) {
      configMaps.handleRecentResourceUpdate(ResourceID.fromResource(written), written, existing);
    }
  }

  private UpdateControl<JwtSecret> finish(JwtSecret resource, StatusDraft draft, Optional<Duration> recheck) {
    JwtSecretStatus status = draft.build();
    // The next reconcile must read this status, not the one the watch has yet to deliver: from a
    // stale one it would announce the same change again (bench: 18 % of rollouts did).
    statusWriter.write(resource, status).ifPresent(written -> {
      if (primaries != null) {
        primaries.handleRecentResourceUpdate(ResourceID.fromResource(written), written, resource);
      }
    });
    observeMetrics(resource, status);
    UpdateControl<JwtSecret> control = UpdateControl.noUpdate();
    recheck.ifPresent(d -> control.rescheduleAfter(d.plusMillis(50)));
    return control;
  }

  private void observeMetrics(JwtSecret resource, JwtSecretStatus status) {
    Set<String> violated = new HashSet<>();
    Conditions.find(status.conditions, Conditions.POLICY_COMPLIANT)
        .filter(c -> Conditions.FALSE.equals(c.getStatus()))
        .ifPresent(c -> violated.addAll(StatusDraft.rulesIn(c.getMessage())));
    metrics.observe(resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
        SecretCodec.parseTime(status.lastRotationTime).orElse(null),
        SecretCodec.parseTime(status.nextRotationTime).orElse(null),
        SecretCodec.parseTime(status.keyCreatedAt).orElse(null),
        Conditions.isTrue(status.conditions, Conditions.READY), violated);
    metrics.observeStage(resource.getMetadata().getNamespace(), resource.getMetadata().getName(), status.phase,
        Conditions.find(status.conditions, Conditions.ROLLOUT_COMPLETE).map(c -> Conditions.TRUE.equals(c.getStatus()))
            .orElse(true));
  }

  private List<Finding> judgeKeys(JwtSecret resource, KeyState state, Profile profile) {
    List<Finding> findings = new ArrayList<>(PolicyRules.judgeKey(state.current().value().reveal(),
        state.current().algorithm(), profile));
    DuplicateKeys.Holder me = new DuplicateKeys.Holder(Ownership.ownerKey(resource), state.current().id(),
        state.current().createdAt());
    if (DuplicateKeys.isLaterHolder(me, otherHolders(resource, state.current().id()))) {
      findings.add(PolicyRules.duplicateKey());
    }
    return findings;
  }

  /** The other managed Secrets whose current key is {@code keyId} (ids computed from data by the index). */
  private List<DuplicateKeys.Holder> otherHolders(JwtSecret resource, String keyId) {
    String uid = resource.getMetadata().getUid();
    List<DuplicateKeys.Holder> holders = new ArrayList<>();
    for (Secret s : secrets.byIndex(SecretIndexes.CURRENT_KEY_ID, keyId)) {
      Map<String, String> a = s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
      if (!uid.equals(a.get(Labels.OWNER_UID))) {
        holders.add(new DuplicateKeys.Holder(a.getOrDefault(Labels.OWNER, s.getMetadata().getNamespace() + "/?"), keyId,
            SecretCodec.parseTime(a.get(Labels.KEY_CREATED_AT)).orElse(Instant.EPOCH)));
      }
    }
    return holders;
  }

  /** The Secret from the cache, read whole from the API server when the cache holds a pruned copy. */
  private Optional<Secret> cachedSecret(String ns, String name) {
    return secrets.get(new ResourceID(name, ns)).map(this::whole);
  }

  /** The Secret itself: a pruned copy ({@link CachedCopies}) is read from the API server; null once deleted. */
  private Secret whole(Secret cached) {
    return !CachedCopies.isPruned(cached) ? cached
        : client.secrets().inNamespace(cached.getMetadata().getNamespace()).withName(cached.getMetadata().getName()).get();
  }

  /** The ConfigMap from the cache, read whole from the API server when the cache holds a pruned copy. */
  private Optional<ConfigMap> cachedConfigMap(String ns, String name) {
    return configMaps.get(new ResourceID(name, ns))
        .map(c -> !CachedCopies.isPruned(c) ? c : client.configMaps().inNamespace(ns).withName(name).get());
  }

  /** The Secrets in the cache that this JwtSecret owns, wherever they are named. */
  private java.util.stream.Stream<Secret> ownedSecrets(JwtSecret resource) {
    return secrets.byIndex(SecretIndexes.OWNER_UID, resource.getMetadata().getUid()).stream()
        .filter(s -> resource.getMetadata().getNamespace().equals(s.getMetadata().getNamespace()))
        .filter(s -> Ownership.of(s, resource) == Ownership.OURS);
  }

  private Optional<String> secretSpecChange(JwtSecret resource, EffectiveSpec spec, Secret found) {
    if (found != null && Ownership.of(found, resource) == Ownership.OURS) {
      // The named Secret is ours, so its name did not change: another Secret carrying the same
      // metadata is a copy (a backup, a clone), not where the key moved from.
      String recorded = found.getMetadata().getAnnotations().get(Labels.DATA_KEYS);
      if (recorded != null && !recorded.equals(spec.dataKeys())) {
        return Optional.of("spec.secret key names cannot change once the Secret exists (they are " + recorded
            + "); set them back, or create a new JwtSecret");
      }
      return Optional.empty();
    }
    Optional<Secret> elsewhere = ownedSecrets(resource)
        .filter(s -> !spec.secretName().equals(s.getMetadata().getName())).findFirst();
    if (elsewhere.isPresent()) {
      return Optional.of("spec.secret.name cannot change once the Secret exists: the key is in Secret "
          + elsewhere.get().getMetadata().getName() + "; set it back, or create a new JwtSecret");
    }
    return Optional.empty();
  }

  private Optional<Environment> namespaceMinimum(String ns) {
    return namespaceLabels.minimum(ns);
  }

  /** Removes a deleted JwtSecret's metric series, and those of workloads no JwtSecret targets any more. */
  public void forgetMetrics(JwtSecret deleted) {
    try {
      metrics.forget(deleted.getMetadata().getNamespace(), deleted.getMetadata().getName());
      unreadable.forget(String.valueOf(deleted.getMetadata().getUid()));
      keysMade.remove(String.valueOf(deleted.getMetadata().getUid()));
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
   * targets; the operator runs it periodically ({@link io.photoapp.jwt.ops.OperatorRuntime#METRICS_SWEEP}),
   * with or without a finalizer's cleanup.
   */
  public void sweepMetrics() {
    var cache = primaryCache;
    if (cache == null) {
      return;
    }
    metrics.retainJwtSecrets((ns, name) -> cache.get(new ResourceID(name, ns)).isPresent());
    Set<String> uids = cache.list(js -> true).map(js -> String.valueOf(js.getMetadata().getUid())).collect(Collectors.toSet());
    unreadable.retain(uids::contains);
    keysMade.keySet().removeIf(uid -> !uids.contains(uid));
    retainTargetedWorkloads(null);
  }

  private void retainTargetedWorkloads(String deletedUid) {
    var cache = primaryCache;
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
      TargetRollouts.targetKeys(js).forEach(targeted::add);
    });
    metrics.retainWorkloads((ns, kind, name) -> targeted.contains(ns + "/" + kind + "/" + name));
  }

  /**
   * The JwtSecret is gone (the Delete event; there is no finalizer). Delete: the garbage collector
   * removes what carries its ownerReference. Retain, or an adopted Secret: released as a plain Secret
   * (the next key, the label and annotations removed), unless a JwtSecret of the same name already
   * takes it over. A Secret whose owner went while the operator was down is released by {@link Orphans}.
   */
  private void ownerDeleted(JwtSecret resource) {
    String ns = resource.getMetadata().getNamespace();
    forgetMetrics(resource);
    SpecResolver.Result resolved = SpecResolver.resolve(resource);
    String secretName = resolved.spec() != null ? resolved.spec().secretName()
        : Optional.ofNullable(resource.getSpec()).map(s -> s.secret).map(s -> s.name).orElse(resource.getMetadata().getName());
    boolean sameNameLive = primaryCache != null && primaryCache.get(ResourceID.fromResource(resource))
        .filter(js -> !js.getMetadata().getUid().equals(resource.getMetadata().getUid())).isPresent();
    Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
    if (secret == null || Ownership.of(secret, resource) != Ownership.OURS) {
      // A refused change of spec.secret.name (SecretSpecImmutable) left the key where it was.
      secret = ownedSecrets(resource).findFirst().map(this::whole).orElse(secret);
    }
    boolean releasedSecret = false;
    if (secret != null && Succession.releaseOnOwnerDeleted(secret, resource, sameNameLive)) {
      secretWriter.patch(secret, SecretCodec.released(secret, Succession.recordedNextKey(secret,
          resolved.spec() != null ? resolved.spec().nextDataKey() : null), resource.getMetadata().getUid()));
      releasedSecret = true;
      LOG.info("released Secret {}/{}: it stays as a plain Secret", ns, secret.getMetadata().getName());
    }
    ConfigMap jwks = client.configMaps().inNamespace(ns).withName(JwksConfigMap.nameFor(secretName)).get();
    if (jwks != null && Succession.releaseOnOwnerDeleted(jwks, resource, sameNameLive)) {
      // The public keys of what the released Secret still holds: the next key never became current.
      Optional<KeyState> remaining = !releasedSecret || resolved.spec() == null ? Optional.empty()
          : SecretCodec.read(secret, resolved.spec(), resolved.spec().algorithm()).state()
              .map(s -> new KeyState(s.phase(), s.current(), Optional.empty(), s.previous(), s.previousExpiresAt(),
                  s.rotatedAt(), s.reason(), s.rotationCount()));
      configMapWriter.patch(jwks, JwksConfigMap.released(jwks, remaining));
      LOG.info("released ConfigMap {}/{}: it stays as a plain ConfigMap", ns, jwks.getMetadata().getName());
    }
  }

  @Override
  public ErrorStatusUpdateControl<JwtSecret> updateErrorStatus(JwtSecret resource, Context<JwtSecret> context, Exception e) {
    metrics.rotationFailed(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    LOG.warn("reconcile of {}/{} failed: {}", resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
        e.getMessage());
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }
}
