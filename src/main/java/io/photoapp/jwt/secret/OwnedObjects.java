package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;

/**
 * The objects of one kind that JwtSecrets own, as a reconcile reads and writes them: looked up in the
 * informer's cache (a pruned copy read whole, an uncached one read only when asked), written through
 * the {@link OwnedObjectWriter}, and each write told to the cache, so that the next reconcile reads it
 * rather than the copy the watch has yet to deliver.
 */
public final class OwnedObjects<T extends HasMetadata> {
  /** The informer's cache of the kind, and its notes of this process's own writes. */
  public interface Cache<T> {
    Optional<T> get(ResourceID id);

    void created(T written);

    void updated(T written, T before);
  }

  /** What a write did. */
  public sealed interface Write<T> {}

  /** Created, patched, or left as it was ({@code changed} false). */
  public record Written<T>(T object, boolean changed) implements Write<T> {}

  /** A create met an object of that name that the cache did not hold: observe again, with it. */
  public record TakenFirst<T>(T existing) implements Write<T> {}

  private final OwnedObjectWriter<T> writer;
  private final Cache<T> cache;

  public OwnedObjects(OwnedObjectWriter<T> writer, Cache<T> cache) {
    this.writer = writer;
    this.cache = cache;
  }

  /** From the cache, read whole from the API server when the cache holds a pruned copy ({@link CachedCopies}). */
  public Optional<T> cached(String namespace, String name) {
    return cache.get(new ResourceID(name, namespace)).map(this::whole);
  }

  /** From the cache; when it holds none, from the API server only if {@code readIfUncached}; else null. */
  public T find(String namespace, String name, boolean readIfUncached) {
    return cached(namespace, name).orElseGet(() -> readIfUncached ? writer.read(namespace, name) : null);
  }

  /** The object itself: a pruned copy is read from the API server; null once deleted. */
  public T whole(T cached) {
    return !CachedCopies.isPruned(cached) ? cached : writer.read(cached.getMetadata().getNamespace(), cached.getMetadata().getName());
  }

  /** Creates ({@code existing} null) or patches the object, and tells the cache. */
  @SuppressWarnings("unchecked")
  public Write<T> write(T existing, T desired) {
    if (existing == null) {
      T created;
      try {
        created = writer.create(desired);
      } catch (OwnedObjectWriter.AlreadyExists e) {
        return new TakenFirst<>((T) e.existing());
      }
      cache.created(created);
      return new Written<>(created, true);
    }
    T written = writer.patch(existing, desired);
    if (written != existing) {
      cache.updated(written, existing);
    }
    return new Written<>(written, written != existing);
  }

  public OwnedObjectWriter<T> writer() {
    return writer;
  }
}
