package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
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
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.restart.WorkloadCopies;
import io.photoapp.jwt.restart.WorkloadPatcher;
import io.photoapp.jwt.rotation.Action;
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
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
public class JwtSecretReconciler implements Reconciler<JwtSecret>, Cleaner<JwtSecret> {
  private static final Logger LOG = LoggerFactory.getLogger(JwtSecretReconciler.class);
  /** Index of the JwtSecrets' cache by restart target; see {@link TargetRollouts#targetKeys}. */
  private static final String TARGETS_INDEX = "restart-targets";

  private final KubernetesClient client;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final EventRecorder events;
  private final KeyActions keyActions;
  private final SecretWriter secretWriter;
  private final ConfigMapWriter configMapWriter;
  private final StatusWriter statusWriter;
  private final Announcer announcer;
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

  public JwtSecretReconciler(KubernetesClient client, Clock clock, OperatorMetrics metrics, EventRecorder events,
      KeyGenerator generator, String fieldManager) {
    this.client = client;
    this.clock = clock;
    this.metrics = metrics;
    this.events = events;
    this.keyActions = new KeyActions(generator);
    this.secretWriter = new SecretWriter(client, fieldManager);
    this.configMapWriter = new ConfigMapWriter(client, fieldManager);
    this.statusWriter = new StatusWriter(client);
    this.announcer = new Announcer(events, metrics);
    this.rollouts = new TargetRollouts(client, new WorkloadPatcher(client, fieldManager), metrics, events, workloads);
    this.push = new KeyPush(client, metrics, events);
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
    for (TargetKind kind : TargetKind.values()) {
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
    return SecondarySource.of(kind.name().toLowerCase(), partitions, name -> InformerEventSourceConfiguration.from(type,
            JwtSecret.class)
        .withName(name)
        .withLabelSelector(Labels.RESTARTABLE + "=" + Labels.TRUE)
        .withSecondaryToPrimaryMapper(w -> {
          String prefix = w.getMetadata().getNamespace() + "/" + kind + "/";
          return java.util.stream.Stream.concat(
                  context.getPrimaryCache().byIndex(TARGETS_INDEX, prefix + w.getMetadata().getName()).stream(),
                  context.getPrimaryCache().byIndex(TARGETS_INDEX, prefix + TargetRollouts.ANY_NAME).stream())
              .filter(js -> TargetRollouts.targets(js, kind, w))
              .map(ResourceID::fromResource).collect(Collectors.toSet());
        }),
        WorkloadCopies::forCache, LIST_PAGE, context);
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

  private static Optional<ResourceID> ownerOf(HasMetadata s) {
    Map<String, String> a = s.getMetadata().getAnnotations();
    String owner = a == null ? null : a.get(Labels.OWNER);
    if (owner == null || !owner.contains("/")) {
      return Optional.empty();
    }
    String[] parts = owner.split("/", 2);
    return Optional.of(new ResourceID(parts[1], parts[0]));
  }

  @Override
  public UpdateControl<JwtSecret> reconcile(JwtSecret resource, Context<JwtSecret> context) {
    if (primaries == null) {
      primaries = context.eventSourceRetriever().getControllerEventSource();
    }
    return reconcileWith(resource, null);
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
    EffectiveSpec spec = resolved.spec();
    boolean specValid = resolved.valid();

    // Gather.
    // A Secret outside the cache (a foreign one: not labelled as managed) shows when the create meets
    // it; one already reported as a conflict is read, so that the reconciles after write nothing.
    Secret secret = known != null ? known : cachedSecret(ns, spec.secretName())
        .orElseGet(() -> Conditions.find(old.conditions, Conditions.READY)
            .filter(c -> Conditions.SECRET_CONFLICT.equals(c.getReason())).isPresent()
            ? client.secrets().inNamespace(ns).withName(spec.secretName()).get() : null);
    Optional<String> immutability = secretSpecChange(resource, spec, secret);
    if (immutability.isPresent()) {
      draft.ready(false, Conditions.SECRET_SPEC_IMMUTABLE, immutability.get());
      announcer.warnOnChange(resource, old, Conditions.READY, EventReasons.SECRET_SPEC_IMMUTABLE, immutability.get());
      return finish(resource, draft, Optional.empty());
    }
    boolean adopting = false;
    if (secret != null) {
      Ownership ownership = Ownership.of(secret, resource);
      String conflict = switch (ownership) {
        case OURS -> null;
        case OTHER_JWTSECRET -> "Secret " + spec.secretName() + " is managed for another JwtSecret";
        case FOREIGN -> !spec.adopt()
            ? "Secret " + spec.secretName() + " exists and was not created by the operator; set spec.secret.adopt: true to take it over"
            : Ownership.adoptionRefusal(secret, resource);
      };
      if (conflict != null) {
        draft.ready(false, Conditions.SECRET_CONFLICT, conflict);
        announcer.warnOnChange(resource, old, Conditions.READY, EventReasons.SECRET_CONFLICT, conflict);
        return finish(resource, draft, Optional.empty());
      }
      adopting = ownership == Ownership.FOREIGN;
    }
    Profile profile = Profile.effective(spec.environment(), namespaceMinimum(ns));
    SecretCodec.Read read = secret == null ? new SecretCodec.Read(Optional.empty(), List.of())
        : SecretCodec.read(secret, spec, spec.algorithm());
    Optional<KeyState> state = read.state();
    PublicKeys publicKeys = publicKeys(resource, spec, state);
    if (publicKeys.conflict() != null) {
      draft.ready(false, Conditions.SECRET_CONFLICT, publicKeys.conflict());
      announcer.warnOnChange(resource, old, Conditions.READY, EventReasons.SECRET_CONFLICT, publicKeys.conflict());
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

    // Act: the Secret first.
    // A changed token lifetime or deletionPolicy changes no key, so no key decision writes it.
    boolean settingsStale = secret != null && state.isPresent() && !adopting
        && !SecretCodec.settingsFollowSpec(secret, spec, resource);
    if (decision.writesSecret() || (!read.externalChanges().isEmpty() && state.isPresent()) || settingsStale) {
      KeyState before = state.orElse(null);
      KeyState after = keyActions.apply(decision, state, spec, old.rotationCount == null ? 0 : old.rotationCount, now);
      Secret desired = SecretCodec.render(secret, after, spec, resource, spec.tokenLifetimeMinutes());
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
        draft.ready(true, Reasons.ADOPTED.equals(s.reason()) && s.rotationCount() == 0 ? Conditions.ADOPTED : Conditions.SECRET_READY,
            "Secret " + spec.secretName() + " holds key " + s.current().id()
                + (JwksConfigMap.needed(s) ? "; public keys in ConfigMap " + JwksConfigMap.nameFor(spec.secretName()) : "")
                + (decision.waitingFor().isEmpty() ? "" : "; waiting for " + decision.waitingFor()));
      }
      draft.rollout(rollout, spec, s, now);
      announcer.rolloutEvents(resource, old, draft);
    }
    // Then the external stores: after the Secret, only with a key the profile accepts, never holding it up.
    Optional<Duration> recheck = decision.recheckAfter();
    if (state.isPresent() && draft.condition(Conditions.READY).map(c -> Conditions.TRUE.equals(c.getStatus())).orElse(false)) {
      KeyPush.Report pushed = push.sync(resource, state.get(), old.push, now);
      draft.push(pushed);
      recheck = pushed.sooner(recheck);
    }
    if (!specValid) {
      invalid(resource, old, draft, resolved);
    }
    return finish(resource, draft, recheck);
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
  private record PublicKeys(ConfigMap existing, String conflict) {}

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
    String conflict = switch (ownership) {
      case OURS -> null;
      case OTHER_JWTSECRET -> "ConfigMap " + name + " is managed for another JwtSecret";
      case FOREIGN -> !spec.adopt()
          ? "ConfigMap " + name + " exists and was not created by the operator; set spec.secret.adopt: true to take it over"
          : Ownership.adoptionRefusal(existing, resource);
    };
    return new PublicKeys(existing, conflict);
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

  @Override
  public DeleteControl cleanup(JwtSecret resource, Context<JwtSecret> context) {
    metrics.forget(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    SpecResolver.Result resolved = SpecResolver.resolve(resource);
    String secretName = resolved.spec() != null ? resolved.spec().secretName()
        : Optional.ofNullable(resource.getSpec()).map(s -> s.secret).map(s -> s.name).orElse(resource.getMetadata().getName());
    String nextKey = resolved.spec() != null ? resolved.spec().nextDataKey() : SpecResolver.DEFAULT_NEXT_DATA_KEY;
    boolean delete = resolved.spec() != null && resolved.spec().deletionPolicy() == io.photoapp.jwt.api.DeletionPolicy.Delete;
    String ns = resource.getMetadata().getNamespace();
    Secret secret = client.secrets().inNamespace(ns).withName(secretName).get();
    if (secret == null || Ownership.of(secret, resource) != Ownership.OURS) {
      // A refused change of spec.secret.name (SecretSpecImmutable) left the key where it was.
      secret = ownedSecrets(resource).findFirst().map(this::whole).orElse(secret);
    }
    if (secret != null && !delete && Ownership.of(secret, resource) == Ownership.OURS) {
      String[] recorded = secret.getMetadata().getAnnotations().getOrDefault(Labels.DATA_KEYS, "").split(",");
      Secret released = SecretCodec.released(secret, recorded.length == 3 ? recorded[2] : nextKey,
          resource.getMetadata().getUid());
      secretWriter.patch(secret, released);
      LOG.info("released Secret {}/{}: it stays as a plain Secret", ns, secret.getMetadata().getName());
    }
    ConfigMap jwks = cachedConfigMap(resource.getMetadata().getNamespace(), JwksConfigMap.nameFor(secretName)).orElse(null);
    if (jwks != null && !delete && Ownership.of(jwks, resource) == Ownership.OURS) {
      // The public keys of what the released Secret still holds: the next key never became current.
      Optional<KeyState> remaining = secret == null || resolved.spec() == null ? Optional.empty()
          : SecretCodec.read(secret, resolved.spec(), resolved.spec().algorithm()).state()
              .map(s -> new KeyState(s.phase(), s.current(), Optional.empty(), s.previous(), s.previousExpiresAt(),
                  s.rotatedAt(), s.reason(), s.rotationCount()));
      configMapWriter.patch(jwks, JwksConfigMap.released(jwks, remaining));
      LOG.info("released ConfigMap {}/{}: it stays as a plain ConfigMap", resource.getMetadata().getNamespace(),
          jwks.getMetadata().getName());
    }
    return DeleteControl.defaultDelete();
  }

  @Override
  public ErrorStatusUpdateControl<JwtSecret> updateErrorStatus(JwtSecret resource, Context<JwtSecret> context, Exception e) {
    metrics.rotationFailed(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
    LOG.warn("reconcile of {}/{} failed: {}", resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
        e.getMessage());
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }
}
