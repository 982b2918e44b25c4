package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.policy.DuplicateKeys;
import io.photoapp.jwt.policy.Profile;
import io.photoapp.jwt.rotation.KeyRequestThrottle;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.secret.Ownership;
import io.photoapp.jwt.secret.OwnershipVerdict;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.secret.SecretIndexes;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.status.Conditions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Does every read of a reconcile, into an {@link Observation}: the caches, a pruned or uncached
 * Secret or ConfigMap read whole, the restore store of spec.push. Nothing else in a reconcile reads.
 */
final class Observer {
  private final Caches caches;
  private final StoreRestore storeRestore;
  private final TargetRollouts rollouts;
  private final KeysMade keysMade;

  Observer(Caches caches, StoreRestore storeRestore, TargetRollouts rollouts, KeysMade keysMade) {
    this.caches = caches;
    this.storeRestore = storeRestore;
    this.rollouts = rollouts;
    this.keysMade = keysMade;
  }

  /**
   * @param known the Secret as the server has it, when a create just found one the informer does not
   *     cache; otherwise null, and the Secret comes from the cache alone (no GET per reconcile)
   */
  Observation observe(JwtSecret resource, Secret known, Instant now) {
    JwtSecretStatus old = resource.getStatus() == null ? new JwtSecretStatus() : resource.getStatus();
    SpecResolver.Result resolved = SpecResolver.resolve(resource);
    if (resolved.spec() == null) {
      return new Observation(resource, old, now, resolved, null, Optional.empty(), null, null, null, null, null, null,
          Map.of(), null, List.of());
    }
    // The namespace's jwt.photoapp.io/require-approval makes approval: Manual the floor.
    boolean approvalRequired = caches.namespaceLabels.requiresApproval(resource.getMetadata().getNamespace());
    resolved = new SpecResolver.Result(resolved.spec().withApprovalFloor(approvalRequired), resolved.problems());
    EffectiveSpec spec = resolved.spec();
    Secret secret = known != null ? known : secret(resource, spec, old);
    OwnershipVerdict verdict = secret == null ? null : OwnershipVerdict.of(secret, resource, spec, () -> formerOwnerLive(secret));
    Observation secretRead = new Observation(resource, old, now, resolved, secret, secretSpecChange(resource, spec, secret),
        verdict, null, null, null, null, null, Map.of(), null, List.of());
    if (Planner.blockedBy(secretRead).isPresent()) {
      // The Secret blocks the reconcile: the reads left would change nothing, and each can cost a GET
      // (a namespace, a public keys' ConfigMap or a named target that the caches do not hold).
      return secretRead;
    }
    return observeKeys(resource, old, now, resolved, secret, verdict);
  }

  /** The second half: the keys, the restore store, the public keys' ConfigMap, the other holders and the targets. */
  private Observation observeKeys(JwtSecret resource, JwtSecretStatus old, Instant now, SpecResolver.Result resolved,
      Secret secret, OwnershipVerdict verdict) {
    EffectiveSpec spec = resolved.spec();
    String ns = resource.getMetadata().getNamespace();
    Profile profile = Profile.effective(spec.environment(), caches.namespaceLabels.minimum(ns));
    SecretCodec.Read read = secret == null ? new SecretCodec.Read(Optional.empty(), List.of())
        : SecretCodec.read(secret, spec, spec.algorithm());
    // No Secret and no key yet: rebuild from the store of spec.push[].restore, if one is named.
    StoreRestore.Outcome fromStore = secret == null && read.state().isEmpty() && resolved.valid()
        ? storeRestore.attempt(resource, false, old, profile, spec.effectiveGrace(), now) : StoreRestore.Outcome.NONE;
    Observation keys = new Observation(resource, old, now, resolved, secret, Optional.empty(), verdict, profile, read,
        fromStore, null, null, Map.of(), null, List.of());
    if (Planner.blockedBy(keys).isPresent()) {
      // A restore still pending: without its keys, the ConfigMap (a GET when uncached) and the targets
      // (a GET per named target the cache lacks) would be read for nothing.
      return keys;
    }
    Optional<KeyState> state = keys.state();
    boolean wanted = spec.algorithm().isAsymmetric() || state.map(JwksConfigMap::needed).orElse(false);
    ConfigMap configMap = caches.configMaps.find(ns, JwksConfigMap.nameFor(spec.secretName()), wanted);
    if (configMap != null && !wanted && Ownership.of(configMap, resource) != Ownership.OURS) {
      // Someone else's ConfigMap of that name, and this JwtSecret has no public keys: none of its business.
      configMap = null;
    }
    ConfigMap found = configMap;
    OwnershipVerdict configMapVerdict = found == null ? null
        : OwnershipVerdict.of(found, resource, spec, () -> formerOwnerLive(found));
    Observation published = new Observation(resource, old, now, resolved, secret, Optional.empty(), verdict, profile, read,
        fromStore, configMap, configMapVerdict, Map.of(), null, List.of());
    if (Planner.blockedBy(published).isPresent()) {
      // A ConfigMap it may not write: the targets would be read for nothing (a GET per named target the cache lacks).
      return published;
    }
    return new Observation(resource, old, now, resolved, secret, Optional.empty(), verdict, profile, read, fromStore,
        configMap, configMapVerdict, otherHolders(resource, state), rollouts.views(resource, spec),
        recordedKeyTimes(resource, secret, state, old));
  }

  /**
   * The Secret from the cache. A Secret outside it (a foreign one: not labelled as managed) shows when
   * the create meets it; one already reported as a conflict is read, so that the reconciles after write nothing.
   */
  private Secret secret(JwtSecret resource, EffectiveSpec spec, JwtSecretStatus old) {
    String ns = resource.getMetadata().getNamespace();
    boolean reportedConflict = Conditions.find(old.conditions, Conditions.READY)
        .filter(c -> Conditions.SECRET_CONFLICT.equals(c.getReason()) || Conditions.ADOPTION_REFUSED.equals(c.getReason()))
        .isPresent();
    return caches.secrets.find(ns, spec.secretName(), reportedConflict);
  }

  /** Whether a JwtSecret with the uid an object records as its owner exists (in the cache: every watched namespace). */
  private boolean formerOwnerLive(HasMetadata object) {
    String uid = object.getMetadata().getAnnotations() == null ? null : object.getMetadata().getAnnotations().get(Labels.OWNER_UID);
    var primaries = caches.primaries;
    return uid != null && primaries != null && primaries.list().anyMatch(js -> uid.equals(js.getMetadata().getUid()));
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
    Optional<Secret> elsewhere = caches.ownedSecrets(resource)
        .filter(s -> !spec.secretName().equals(s.getMetadata().getName())).findFirst();
    return elsewhere.map(s -> "spec.secret.name cannot change once the Secret exists: the key is in Secret "
        + s.getMetadata().getName() + "; set it back, or create a new JwtSecret");
  }

  /** The other managed Secrets holding, as current, a key id of the state (ids computed from data by the index). */
  private Map<String, List<DuplicateKeys.Holder>> otherHolders(JwtSecret resource, Optional<KeyState> state) {
    Map<String, List<DuplicateKeys.Holder>> holders = new HashMap<>();
    state.ifPresent(s -> Stream.of(Optional.of(s.current()), s.next(), s.previous()).flatMap(Optional::stream)
        .forEach(key -> holders.computeIfAbsent(key.id(), id -> otherHolders(resource, key))));
    return Map.copyOf(holders);
  }

  private List<DuplicateKeys.Holder> otherHolders(JwtSecret resource, StoredKey key) {
    String uid = resource.getMetadata().getUid();
    String keyId = key.id();
    List<DuplicateKeys.Holder> holders = new ArrayList<>();
    for (Secret s : caches.secretSource.byIndex(SecretIndexes.CURRENT_KEY_ID, KeyIds.holding(key.value(), key.algorithm()))) {
      Map<String, String> a = s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
      if (!uid.equals(a.get(Labels.OWNER_UID))) {
        holders.add(new DuplicateKeys.Holder(a.getOrDefault(Labels.OWNER, s.getMetadata().getNamespace() + "/?"), keyId,
            SecretCodec.parseTime(a.get(Labels.KEY_CREATED_AT)).orElse(Instant.EPOCH)));
      }
    }
    return List.copyOf(holders);
  }

  /** When keys were made for this JwtSecret, as its Secret, status and this process record them (see {@link KeyRequestThrottle}). */
  private List<Instant> recordedKeyTimes(JwtSecret resource, Secret secret, Optional<KeyState> state, JwtSecretStatus old) {
    List<Instant> times = new ArrayList<>(KeyRequestThrottle.creationTimes(state));
    if (secret != null && secret.getMetadata().getAnnotations() != null) {
      times.addAll(KeyRequestThrottle.parse(secret.getMetadata().getAnnotations().get(Labels.RECENT_KEYS)));
    }
    // A deleted Secret takes its record with it; status keeps the last key's creation time.
    SecretCodec.parseTime(old.keyCreatedAt).ifPresent(times::add);
    times.addAll(keysMade.of(String.valueOf(resource.getMetadata().getUid())));
    return List.copyOf(times);
  }
}
