package io.photoapp.jwt.reconciler;

import com.fasterxml.jackson.annotation.JsonValue;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.policy.DuplicateKeys;
import io.photoapp.jwt.policy.Profile;
import io.photoapp.jwt.restart.TargetViews;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.secret.OwnershipVerdict;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.spec.SpecResolver;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one reconcile read before it decides, from the caches and the few reads that must go to
 * the API server or a store. The {@link Planner} decides what blocks a reconcile
 * ({@link Planner#blockedBy}); the {@link Observer} asks it after the Secret, the restore store and the
 * ConfigMap, and stops reading there when something does, since the reads left can cost requests:
 * what was not read is null (or empty), and the Planner never looks at it.
 *
 * @param resolved the spec with defaults, and its problems
 * @param secret the Secret {@code spec.secret.name} names, whole; null when there is none
 * @param immutability why the spec's Secret settings cannot apply to the Secret that exists
 * @param secretVerdict what the Secret is to this JwtSecret; null without a Secret
 * @param profile the environment's policy, at least the namespace's minimum
 * @param read the key state decoded from the Secret, and what was changed in it outside the operator
 * @param fromStore what the restore store of spec.push gave, for a JwtSecret without a Secret or key
 * @param configMap the public keys' ConfigMap as found (null when none, or someone else's and not wanted)
 * @param configMapVerdict what the public keys' ConfigMap is to this JwtSecret; null without one
 * @param otherHolders other managed Secrets by the key id they hold as current (the ids of this state)
 * @param targets the restart targets' workloads
 * @param recordedKeys when keys were made for this JwtSecret, as the Secret, status and this process record them
 */
public record Observation(
    JwtSecret resource,
    JwtSecretStatus old,
    Instant now,
    SpecResolver.Result resolved,
    Secret secret,
    Optional<String> immutability,
    OwnershipVerdict secretVerdict,
    Profile profile,
    SecretCodec.Read read,
    StoreRestore.Outcome fromStore,
    ConfigMap configMap,
    OwnershipVerdict configMapVerdict,
    Map<String, List<DuplicateKeys.Holder>> otherHolders,
    TargetViews targets,
    List<Instant> recordedKeys) {

  /** The key state to act on: the Secret's, or the one restored from a store. */
  Optional<KeyState> state() {
    return fromStore != null && fromStore.restored().isPresent() ? fromStore.restored() : read.state();
  }

  boolean adopting() {
    return secretVerdict != null && secretVerdict.standing() == OwnershipVerdict.Standing.ADOPTABLE;
  }

  boolean restoring() {
    return secretVerdict != null && secretVerdict.standing() == OwnershipVerdict.Standing.RESTORABLE;
  }

  boolean restoredFromStore() {
    return fromStore != null && fromStore.restored().isPresent();
  }

  String uid() {
    return String.valueOf(resource.getMetadata().getUid());
  }

  /** Names and key ids only: the Secret and the key state it holds are never printed, nor serialized. */
  @JsonValue
  @Override
  public String toString() {
    return "Observation[jwtSecret=" + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName()
        + ", problems=" + (resolved == null ? 0 : resolved.problems().size())
        + ", secret=" + (secret == null ? "none" : secret.getMetadata().getName())
        + ", keySet=" + (read == null ? "unread" : state().map(KeyState::keySet).orElse("none"))
        + ", secretVerdict=" + (secretVerdict == null ? "none" : secretVerdict.standing())
        + ", configMap=" + (configMap == null ? "none" : configMap.getMetadata().getName()) + "]";
  }
}
