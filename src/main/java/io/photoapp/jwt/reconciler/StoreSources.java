package io.photoapp.jwt.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.photoapp.jwt.api.ClusterJwtSecretStore;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStore;
import io.photoapp.jwt.api.PushTarget;
import io.photoapp.jwt.api.StoreKind;
import io.photoapp.jwt.push.StoreDirectory;
import io.photoapp.jwt.push.StoreResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The stores, from informers on JwtSecretStores (in the watched namespaces) and ClusterJwtSecretStores,
 * as the push resolver looks them up; a store's change reconciles the JwtSecrets that name it (found
 * through an index of the JwtSecrets' cache by store reference), and what was kept for a store that
 * changed or went is dropped.
 */
final class StoreSources implements StoreDirectory {
  static final String INDEX = "store-refs";

  volatile NamespaceLabels namespaceLabels;
  private InformerEventSource<JwtSecretStore, JwtSecret> namespaced;
  private InformerEventSource<ClusterJwtSecretStore, JwtSecret> cluster;

  /** The index keys of a JwtSecret: {@code <ns>/JwtSecretStore/<name>} and {@code ClusterJwtSecretStore/<name>}. */
  static List<String> refKeys(JwtSecret js) {
    List<PushTarget> push = js.getSpec() == null ? null : js.getSpec().push;
    if (push == null) {
      return List.of();
    }
    return push.stream().filter(Objects::nonNull).filter(p -> p.storeRef != null && p.storeRef.name != null)
        .map(p -> key(p.storeRef.kind == null ? StoreKind.JwtSecretStore : p.storeRef.kind,
            js.getMetadata().getNamespace(), p.storeRef.name))
        .distinct().collect(Collectors.toList());
  }

  private static String key(StoreKind kind, String namespace, String name) {
    return kind == StoreKind.ClusterJwtSecretStore ? kind + "/" + name : namespace + "/" + kind + "/" + name;
  }

  List<EventSource<?, JwtSecret>> eventSources(EventSourceContext<JwtSecret> context, Consumer<String> forget) {
    namespaced = new ForgettingSource<>(InformerEventSourceConfiguration.from(JwtSecretStore.class, JwtSecret.class)
        .withName("jwtsecretstores")
        .withSecondaryToPrimaryMapper(s -> users(context, key(StoreKind.JwtSecretStore, s.getMetadata().getNamespace(),
            s.getMetadata().getName())))
        .withPrimaryToSecondaryMapper(SecondarySource.NOT_READ_THROUGH_THE_SDK)
        .build(), context, forget);
    cluster = new ForgettingSource<>(InformerEventSourceConfiguration.from(ClusterJwtSecretStore.class, JwtSecret.class)
        .withName("clusterjwtsecretstores")
        .withNamespaces(Set.of(Constants.WATCH_ALL_NAMESPACES))
        .withSecondaryToPrimaryMapper(s -> users(context, key(StoreKind.ClusterJwtSecretStore, null, s.getMetadata().getName())))
        .withPrimaryToSecondaryMapper(SecondarySource.NOT_READ_THROUGH_THE_SDK)
        .build(), context, forget);
    List<EventSource<?, JwtSecret>> sources = new ArrayList<>();
    sources.add(namespaced);
    sources.add(cluster);
    return sources;
  }

  private static Set<ResourceID> users(EventSourceContext<JwtSecret> context, String key) {
    return context.getPrimaryCache().byIndex(INDEX, key).stream().map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  @Override
  public Optional<JwtSecretStore> namespaced(String namespace, String name) {
    return namespaced == null ? Optional.empty() : namespaced.get(new ResourceID(name, namespace));
  }

  @Override
  public Optional<ClusterJwtSecretStore> cluster(String name) {
    return cluster == null ? Optional.empty() : cluster.get(new ResourceID(name));
  }

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    NamespaceLabels labels = namespaceLabels;
    return labels == null ? Map.of() : labels.labels(namespace);
  }

  /** An informer source that tells the stores to drop what they keep for a store that changed or went. */
  private static final class ForgettingSource<R extends io.fabric8.kubernetes.api.model.HasMetadata>
      extends InformerEventSource<R, JwtSecret> {
    private final Consumer<String> forget;

    ForgettingSource(InformerEventSourceConfiguration<R> config, EventSourceContext<JwtSecret> context, Consumer<String> forget) {
      super(config, context);
      this.forget = forget;
    }

    @Override
    public void onUpdate(R oldObject, R newObject) {
      if (!StoreResolver.specVersion(oldObject).equals(StoreResolver.specVersion(newObject))) {
        forget.accept(oldObject.getMetadata().getUid());
      }
      super.onUpdate(oldObject, newObject);
    }

    @Override
    public void onDelete(R resource, boolean deletedFinalStateUnknown) {
      forget.accept(resource.getMetadata().getUid());
      super.onDelete(resource, deletedFinalStateUnknown);
    }
  }
}
