package io.photoapp.jwt.push;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What is built for a store and kept between pushes (HTTP clients, SDK clients, their credential
 * providers), by store uid: dropped as soon as the store's resourceVersion changes or the store goes,
 * so that a changed address, CA bundle or identity is never served from an old client. Within a version,
 * an item built from what can change without the store's spec (a CA bundle or client secret read from a
 * ConfigMap or Secret the store names) sits in a slot with that content's variant: a new variant replaces
 * the old item, so a tenant who edits that ConfigMap or Secret over and over never piles up clients (each
 * JDK HttpClient holds a thread).
 */
final class StoreSessions<T> {
  private static final Logger LOG = LoggerFactory.getLogger(StoreSessions.class);

  private record Session<T>(String version, Map<String, Item<T>> items) {}

  /** An item and the variant of the content it was built from. */
  private record Item<T>(String variant, T value) {}

  /**
   * The most stores whose clients are kept: a namespace may create stores without end, and each JDK
   * HttpClient holds a thread. The least recently used is dropped (an AutoCloseable closed, so a call
   * still in flight on it may fail) beyond it, and built again when next used.
   */
  static final int MAX = 32;

  /** By store uid, in order of use (guarded by itself). */
  private final java.util.LinkedHashMap<String, Session<T>> sessions = new java.util.LinkedHashMap<>(16, 0.75f, true);

  /** The item under {@code key} for this version of the store, built on first use. */
  T get(ResolvedStore store, String key, Function<String, T> build) {
    return get(store, key, "", build);
  }

  /**
   * The item in {@code slot} for this version of the store and this variant of its content, built on
   * first use; an item of another variant in the slot is replaced (not closed: a call in flight may still
   * use it; unreachable, it goes with its threads). A null from {@code build} leaves the slot empty.
   */
  T get(ResolvedStore store, String slot, String variant, Function<String, T> build) {
    Session<T> session = session(store);
    Item<T> item = session.items().compute(slot, (k, old) -> {
      if (old != null && old.variant().equals(variant)) {
        return old;
      }
      T built = build.apply(k);
      return built == null ? null : new Item<>(variant, built);
    });
    return item == null ? null : item.value();
  }

  /** The session of this version of the store, the least recently used one dropped beyond {@link #MAX}. */
  private Session<T> session(ResolvedStore store) {
    List<Session<T>> dropped = new ArrayList<>();
    Session<T> session;
    synchronized (sessions) {
      String uid = store.uid() == null ? store.display() : store.uid();
      session = sessions.get(uid);
      if (session == null || !Objects.equals(session.version(), store.version())) {
        if (session != null) {
          dropped.add(session);
        }
        session = new Session<>(store.version(), new ConcurrentHashMap<>());
        sessions.put(uid, session);
      }
      Iterator<Session<T>> eldest = sessions.values().iterator();
      while (sessions.size() > MAX) {
        dropped.add(eldest.next());
        eldest.remove();
      }
    }
    dropped.forEach(StoreSessions::close);
    return session;
  }

  /** Drops what was kept for a store that is gone. */
  void forget(String uid) {
    Session<T> old;
    synchronized (sessions) {
      old = sessions.remove(uid);
    }
    if (old != null) {
      close(old);
    }
  }

  int size() {
    synchronized (sessions) {
      return sessions.values().stream().mapToInt(s -> s.items().size()).sum();
    }
  }

  private static <T> void close(Session<T> session) {
    for (Item<T> item : session.items().values()) {
      if (item.value() instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.debug("closing a store client: {}", e.getClass().getSimpleName());
        }
      }
    }
  }
}
