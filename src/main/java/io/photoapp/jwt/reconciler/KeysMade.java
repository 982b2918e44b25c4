package io.photoapp.jwt.reconciler;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent key creation times by JwtSecret uid, as this process wrote them: the Secret's record goes
 * when someone deletes the Secret, this one does not. Pruned to the throttle's window; swept with the metrics.
 */
final class KeysMade {
  private final Map<String, List<Instant>> byUid = new ConcurrentHashMap<>();

  List<Instant> of(String uid) {
    return byUid.getOrDefault(uid, List.of());
  }

  /** The keys made within the window, as the write that made the last of them records them. */
  void record(String uid, List<Instant> window) {
    if (window.isEmpty()) {
      byUid.remove(uid);
    } else {
      byUid.put(uid, List.copyOf(window));
    }
  }

  void forget(String uid) {
    byUid.remove(uid);
  }

  void retain(Set<String> uids) {
    byUid.keySet().removeIf(uid -> !uids.contains(uid));
  }
}
