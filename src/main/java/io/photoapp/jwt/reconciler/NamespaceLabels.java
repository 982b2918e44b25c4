package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The label {@code jwt.photoapp.io/minimum-environment} of the watched namespaces, from a watch rather
 * than a GET per reconcile, and a reconcile of every JwtSecret in a namespace whose label changes.
 *
 * <p>Watching all namespaces: one informer on all of them. Watching a list: one informer per namespace,
 * selected by {@code metadata.name}, which RBAC authorises with {@code resourceNames}. Where the watch
 * cannot start (an older ClusterRole that grants only {@code get}), or a namespace is not in the cache
 * yet, the label is read with a GET as before.
 */
final class NamespaceLabels extends AbstractEventSource<Namespace, JwtSecret> {
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceLabels.class);
  static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

  private final KubernetesClient client;
  /** Empty: all namespaces. */
  private final Set<String> namespaces;
  private final Function<String, Stream<ResourceID>> jwtSecretsIn;
  private final List<SharedIndexInformer<Namespace>> informers = new ArrayList<>();
  private volatile boolean watching;

  NamespaceLabels(KubernetesClient client, Set<String> namespaces, Function<String, Stream<ResourceID>> jwtSecretsIn) {
    super(Namespace.class, "namespaces");
    this.client = client;
    this.namespaces = Set.copyOf(namespaces);
    this.jwtSecretsIn = jwtSecretsIn;
  }

  @Override
  public void start() throws OperatorException {
    List<SharedIndexInformer<Namespace>> started = new ArrayList<>();
    try {
      if (namespaces.isEmpty()) {
        started.add(client.namespaces().runnableInformer(0));
      } else {
        for (String ns : namespaces) {
          started.add(client.namespaces().withField("metadata.name", ns).runnableInformer(0));
        }
      }
      for (SharedIndexInformer<Namespace> informer : started) {
        // One store each: a store is an informer's own (see SecondarySource).
        informer.itemStore(new io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore<>(
            NamespaceLabels::forCache));
        informer.addEventHandler(new LabelChanges());
        informer.start().toCompletableFuture().get(SYNC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      informers.addAll(started);
      watching = true;
    } catch (Exception e) {
      started.forEach(SharedIndexInformer::stop);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("cannot watch namespaces ({}); reading label {} with a GET per reconcile instead. "
          + "Grant list and watch on namespaces to the operator (the chart does).", rootMessage(e),
          Labels.MINIMUM_ENVIRONMENT);
    }
    super.start();
  }

  @Override
  public void stop() throws OperatorException {
    watching = false;
    informers.forEach(SharedIndexInformer::stop);
    informers.clear();
    super.stop();
  }

  /** Whether the labels come from a watch (false: from a GET per call). */
  boolean watching() {
    return watching;
  }

  /**
   * The namespace's minimum environment, if its label names one. Throws when the namespace cannot be read
   * (the reconcile fails and is retried): a floor that could not be read is not no floor.
   */
  Optional<Environment> minimum(String ns) {
    Namespace namespace = cached(ns).orElseGet(() -> readForPolicy(ns));
    return Optional.ofNullable(namespace).map(NamespaceLabels::label).flatMap(Environment::parse);
  }

  /**
   * Whether the namespace makes {@code approval: Manual} the floor ({@code jwt.photoapp.io/require-approval: "true"});
   * throws, as {@link #minimum}, when the namespace cannot be read.
   */
  boolean requiresApproval(String ns) {
    Namespace namespace = cached(ns).orElseGet(() -> readForPolicy(ns));
    Map<String, String> labels = namespace == null ? null : namespace.getMetadata().getLabels();
    return labels != null && Labels.TRUE.equals(labels.get(Labels.REQUIRE_APPROVAL));
  }

  /**
   * Whether the cached namespace is being deleted. Its objects go with it: a Secret the namespace
   * controller deleted first must not be made again (a create there is refused, and each try would make
   * a key). Only the cache is asked, so this costs no request; unknown means not terminating.
   */
  boolean terminating(String ns) {
    return cached(ns).map(n -> n.getMetadata().getDeletionTimestamp() != null
        || (n.getStatus() != null && "Terminating".equals(n.getStatus().getPhase()))).orElse(false);
  }

  /** Every label of the namespace (a cluster store's namespaceSelector is judged on them); empty when unknown. */
  Map<String, String> labels(String ns) {
    Namespace namespace = cached(ns).orElseGet(() -> read(ns));
    Map<String, String> labels = namespace == null ? null : namespace.getMetadata().getLabels();
    return labels == null ? Map.of() : Map.copyOf(labels);
  }

  private Optional<Namespace> cached(String ns) {
    if (!watching) {
      return Optional.empty();
    }
    for (SharedIndexInformer<Namespace> informer : informers) {
      Namespace found = informer.getStore().getByKey(ns);
      if (found != null) {
        return Optional.of(found);
      }
    }
    return Optional.empty();
  }

  /**
   * What the cache keeps of a namespace: its name, labels, deletion time and phase, what this class
   * reads; not its annotations (kubectl's last-applied copy among them) nor its managedFields.
   */
  static Namespace forCache(Namespace n) {
    var m = n.getMetadata();
    return new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(m.getName()).withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion()).withLabels(m.getLabels()).withDeletionTimestamp(m.getDeletionTimestamp())
        .endMetadata().withNewStatus().withPhase(n.getStatus() == null ? null : n.getStatus().getPhase()).endStatus().build();
  }

  private Namespace read(String ns) {
    try {
      return client.namespaces().withName(ns).get();
    } catch (KubernetesClientException e) {
      LOG.debug("cannot read namespace {}: {}", ns, e.getMessage());
      return null;
    }
  }

  /**
   * The namespace for a policy floor: null only when it does not exist. Any other failure (a 403 where the
   * ClusterRole lacks get, a 5xx, a timeout) throws: read as "no label", it would let a JwtSecret below its
   * namespace's minimum-environment or without its required approval through.
   */
  private Namespace readForPolicy(String ns) {
    try {
      return client.namespaces().withName(ns).get();
    } catch (KubernetesClientException e) {
      throw new IllegalStateException("cannot read namespace " + ns + " for its policy labels (HTTP " + e.getCode()
          + "); the JwtSecret waits until it can", e);
    }
  }

  private static String label(Namespace namespace) {
    Map<String, String> labels = namespace.getMetadata().getLabels();
    return labels == null ? null : labels.get(Labels.MINIMUM_ENVIRONMENT);
  }

  @Override
  public Set<Namespace> getSecondaryResources(JwtSecret primary) {
    return cached(primary.getMetadata().getNamespace()).map(Set::of).orElse(Set.of());
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  /** A changed label: every JwtSecret in the namespace is judged again under the new minimum. */
  private final class LabelChanges implements ResourceEventHandler<Namespace> {
    @Override
    public void onAdd(Namespace namespace) {
      // A namespace appears before the JwtSecrets in it; those reconcile on their own add.
    }

    @Override
    public void onUpdate(Namespace before, Namespace after) {
      if (!isRunning()) {
        return;
      }
      String ns = after.getMetadata().getName();
      if (!Objects.equals(label(before), label(after))) {
        LOG.info("namespace {}: {} is now {}; reconciling its JwtSecrets", ns, Labels.MINIMUM_ENVIRONMENT,
            Optional.ofNullable(label(after)).orElse("unset"));
        jwtSecretsIn.apply(ns).forEach(id -> getEventHandler().handleEvent(new Event(id)));
      } else if (!Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())) {
        // Other labels decide which cluster stores admit the namespace.
        LOG.debug("namespace {}: labels changed; reconciling its JwtSecrets", ns);
        jwtSecretsIn.apply(ns).forEach(id -> getEventHandler().handleEvent(new Event(id)));
      }
    }

    @Override
    public void onDelete(Namespace namespace, boolean deletedFinalStateUnknown) {
      // Its JwtSecrets are deleted with it.
    }
  }
}
