package io.photoapp.jwt.push;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is built for a store and kept between pushes (HTTP clients, SDK clients, their credential
 * providers), by store uid: dropped as soon as the store's resourceVersion changes or the store goes,
 * so that a changed address, CA bundle or identity is never served from an old client.
 */
final class StoreSessions<T> {
  private static final Logger LOG = LoggerFactory.getLogger(StoreSessions.class);

  private record Session<T>(String version, Map<String, T> items) {}

  private final Map<String, Session<T>> sessions = new ConcurrentHashMap<>();

  /** The item under {@code key} for this version of the store, built on first use. */
  T get(ResolvedStore store, String key, Function<String, T> build) {
    Session<T> session = sessions.compute(store.uid() == null ? store.display() : store.uid(), (uid, old) -> {
      if (old != null && Objects.equals(old.version(), store.version())) {
        return old;
      }
      if (old != null) {
        close(old);
      }
      return new Session<>(store.version(), new ConcurrentHashMap<>());
    });
    return session.items().computeIfAbsent(key, build);
  }

  /** Drops what was kept for a store that is gone. */
  void forget(String uid) {
    Session<T> old = sessions.remove(uid);
    if (old != null) {
      close(old);
    }
  }

  int size() {
    return sessions.values().stream().mapToInt(s -> s.items().size()).sum();
  }

  private static <T> void close(Session<T> session) {
    for (T item : session.items().values()) {
      if (item instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.debug("closing a store client: {}", e.getClass().getSimpleName());
        }
      }
    }
  }
}
