package io.photoapp.jwt.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Condition types and reasons in one place, and the helper that keeps lastTransitionTime. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String POLICY_COMPLIANT = "PolicyCompliant";
  public static final String ROLLOUT_COMPLETE = "RolloutComplete";

  public static final String SECRET_READY = "SecretReady";
  public static final String ADOPTED = "Adopted";
  public static final String COMPLIANT = "Compliant";
  public static final String SECRET_CONFLICT = "SecretConflict";
  /** {@code adopt: true} (or a restore) met a Secret or ConfigMap that breaks an adoption rule. */
  public static final String ADOPTION_REFUSED = "AdoptionRefused";
  /** The Secret named this JwtSecret with a uid that no longer exists (a restore): taken over, no rotation. */
  public static final String RESTORED = "Restored";
  /** spec.push[].restore: no Secret and no key yet, and the restore store cannot be read yet. */
  public static final String RESTORE_PENDING = "RestorePending";
  public static final String SECRET_SPEC_IMMUTABLE = "SecretSpecImmutable";
  public static final String INVALID_SPEC = "InvalidSpec";
  /** More than 3 new keys within 10 minutes were asked for: the next waits (see KeyRequestThrottle). */
  public static final String KEY_REQUEST_THROTTLED = "KeyRequestThrottled";
  public static final String POLICY_VIOLATION = "PolicyViolation";
  /** approval: Manual: the next key is published and rolled out; the switch waits for approve-switch. */
  public static final String AWAITING_APPROVAL = "AwaitingApproval";
  /** spec.rotation.windows: a due planned stage waits for the next window to open. */
  public static final String AWAITING_WINDOW = "AwaitingWindow";
  public static final String ROLLOUT_IN_PROGRESS = "RolloutInProgress";
  public static final String ROLLED_OUT = "RolledOut";
  /** --max-concurrent-rollouts: a target's patch waits for a slot. */
  public static final String ROLLOUT_QUEUED = "RolloutQueued";
  /** A shared workload's roll waits (at most spec.restart.coalesce) for the other JwtSecrets due to roll it: one rollout for all. */
  public static final String ROLLOUT_COALESCING = "RolloutCoalescing";
  public static final String NO_TARGETS = "NoTargets";
  public static final String ROLLOUT_TIMEOUT = "RolloutTimeout";
  public static final String UNSUPPORTED_UPDATE_STRATEGY = "UnsupportedUpdateStrategy";
  public static final String TARGET_NOT_FOUND = "TargetNotFound";
  public static final String TARGET_NOT_OPTED_IN = "TargetNotOptedIn";

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  private Conditions() {}

  /**
   * Returns the list with the condition set; lastTransitionTime moves only when the status changes.
   */
  public static List<Condition> set(List<Condition> existing, String type, boolean status, String reason,
      String message, Long generation, Instant now) {
    return set(existing, type, status, reason, message, generation, now, existing);
  }

  /**
   * As {@link #set(List, String, boolean, String, String, Long, Instant)}, with the transition judged
   * against {@code previous} (the status as last written), so that a condition set twice while a
   * status is drafted keeps its lastTransitionTime when it ends where it was.
   */
  public static List<Condition> set(List<Condition> existing, String type, boolean status, String reason,
      String message, Long generation, Instant now, List<Condition> previous) {
    List<Condition> result = new ArrayList<>(existing == null ? List.of() : existing);
    String value = status ? TRUE : FALSE;
    Optional<Condition> old = find(previous, type);
    String transition = old.filter(c -> Objects.equals(c.getStatus(), value))
        .map(Condition::getLastTransitionTime).orElse(now.toString());
    Condition c = new ConditionBuilder().withType(type).withStatus(value).withReason(reason)
        .withMessage(message == null ? "" : message).withObservedGeneration(generation)
        .withLastTransitionTime(transition).build();
    result.removeIf(x -> type.equals(x.getType()));
    result.add(c);
    result.sort((a, b) -> Integer.compare(order(a.getType()), order(b.getType())));
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return find(conditions, type).map(c -> TRUE.equals(c.getStatus())).orElse(false);
  }

  private static int order(String type) {
    return switch (type) {
      case READY -> 0;
      case POLICY_COMPLIANT -> 1;
      case ROLLOUT_COMPLETE -> 2;
      default -> 3;
    };
  }
}
