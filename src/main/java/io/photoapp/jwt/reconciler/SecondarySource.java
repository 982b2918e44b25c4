package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.photoapp.jwt.api.JwtSecret;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A secondary informer whose cache keeps a copy made by {@code forCache} (see the {@code CachedCopies}
 * classes) instead of the object. With several listed namespaces it is one informer per namespace,
 * each with its own item store: JOSDK hands the one store it is given to the informer of every
 * namespace, and the relist of one namespace would then drop the others' items.
 */
final class SecondarySource<R extends HasMetadata> {
  private static final String ALL = "";

  /**
   * The operator never asks the SDK for a JwtSecret's secondaries ({@code Context.getSecondaryResources}): it reads
   * its Secrets, ConfigMaps, workloads and stores through {@link Caches} and their indexes (ArchitectureTest keeps
   * it so). Without a mapper of this direction, each event source keeps the SDK's own primary-to-secondary index, a
   * set per JwtSecret that nothing reads (about 0.5 MiB of heap at 1,000 JwtSecrets, issue #19), and calls the
   * secondary-to-primary mapper a second time on every event to maintain it.
   */
  static final PrimaryToSecondaryMapper<JwtSecret> NOT_READ_THROUGH_THE_SDK = primary -> Set.of();
  private final Map<String, InformerEventSource<R, JwtSecret>> byNamespace;

  private SecondarySource(Map<String, InformerEventSource<R, JwtSecret>> byNamespace) {
    this.byNamespace = byNamespace;
  }

  /**
   * @param partitions the namespaces to give an informer each, or an empty set for a single informer
   *     (every namespace, or the controller's one)
   * @param configure the event source's configuration, before namespaces, name and item store
   */
  static <R extends HasMetadata> SecondarySource<R> of(String name, Set<String> partitions,
      Function<String, InformerEventSourceConfiguration.Builder<R>> configure, UnaryOperator<R> forCache,
      Long listLimit, EventSourceContext<JwtSecret> context) {
    Map<String, InformerEventSource<R, JwtSecret>> sources = new LinkedHashMap<>();
    if (partitions.isEmpty()) {
      sources.put(ALL, new InformerEventSource<>(configure.apply(name).withPrimaryToSecondaryMapper(NOT_READ_THROUGH_THE_SDK)
          .withItemStore(new CopyStore<>(forCache)).withInformerListLimit(listLimit).build(), context));
    } else {
      for (String ns : partitions.stream().sorted().toList()) {
        sources.put(ns, new InformerEventSource<>(configure.apply(name + "-" + ns).withNamespaces(Set.of(ns))
            .withPrimaryToSecondaryMapper(NOT_READ_THROUGH_THE_SDK)
            .withItemStore(new CopyStore<>(forCache)).withInformerListLimit(listLimit).build(), context));
      }
    }
    return new SecondarySource<>(sources);
  }

  /**
   * The kept copies, reported as the full state: fabric8 then holds back the add events of its first
   * list until the list is complete and hands out the kept copies. With JOSDK's store (not full
   * state) every add event carried the whole object, and they waited in the listener's queue while
   * the event source's start held the lock their handler needs: a new process met 200 labelled
   * Secrets of 1 MiB all at once and ran out of heap (bench 4c).
   */
  private static final class CopyStore<R extends HasMetadata> extends TransformingItemStore<R> {
    CopyStore(UnaryOperator<R> forCache) {
      // No copy holds managedFields: the operator's clients skip them as they read (kube.ReadFields).
      super(forCache);
    }

    @Override
    public boolean isFullState() {
      return true;
    }
  }

  Collection<? extends EventSource<?, JwtSecret>> eventSources() {
    return byNamespace.values();
  }

  private Optional<InformerEventSource<R, JwtSecret>> in(String namespace) {
    InformerEventSource<R, JwtSecret> all = byNamespace.get(ALL);
    return Optional.ofNullable(all != null ? all : byNamespace.get(namespace));
  }

  Optional<R> get(ResourceID id) {
    return id.getNamespace().flatMap(this::in).flatMap(source -> source.get(id));
  }

  Stream<R> list(String namespace, Predicate<R> predicate) {
    return in(namespace).map(source -> source.list(namespace, predicate)).orElseGet(Stream::empty);
  }

  Stream<R> list(Predicate<R> predicate) {
    return byNamespace.values().stream().flatMap(source -> source.list(predicate));
  }

  List<R> byIndex(String index, String key) {
    return byNamespace.values().stream().flatMap(source -> source.byIndex(index, key).stream()).toList();
  }

  void addIndexers(Map<String, Function<R, List<String>>> indexers) {
    byNamespace.values().forEach(source -> source.addIndexers(indexers));
  }

  void handleRecentResourceCreate(ResourceID id, R resource) {
    id.getNamespace().flatMap(this::in).ifPresent(source -> source.handleRecentResourceCreate(id, resource));
  }

  void handleRecentResourceUpdate(ResourceID id, R resource, R previous) {
    id.getNamespace().flatMap(this::in).ifPresent(source -> source.handleRecentResourceUpdate(id, resource, previous));
  }

  /** The cache as the owned-object writer reads it and tells it of its writes. */
  io.photoapp.jwt.secret.OwnedObjects.Cache<R> asOwnedCache() {
    return new io.photoapp.jwt.secret.OwnedObjects.Cache<>() {
      @Override
      public Optional<R> get(ResourceID id) {
        return SecondarySource.this.get(id);
      }

      @Override
      public void created(R written) {
        handleRecentResourceCreate(ResourceID.fromResource(written), written);
      }

      @Override
      public void updated(R written, R before) {
        handleRecentResourceUpdate(ResourceID.fromResource(written), written, before);
      }
    };
  }
}
