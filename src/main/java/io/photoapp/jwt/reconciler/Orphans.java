package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.secret.OwnedObjectWriter;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.secret.Succession;
import io.photoapp.jwt.secret.Succession.FormerOwner;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code deletionPolicy: Retain} without a finalizer: a managed Secret (or public-keys
 * ConfigMap) whose owner no longer exists is released as a plain object. The Delete event of a
 * JwtSecret releases its Secret at once (the reconciler); this catches the rest: owners deleted while
 * the operator was down (the informers list every managed object at start-up, and a new leader
 * resyncs), and objects that appear without their owner. Each waits {@code grace} first, because a
 * restore brings a Secret before its JwtSecret, and the owner is confirmed gone by a GET before
 * anything is written; only the leader writes. The verdict is {@link Succession#releaseOrphan}'s.
 */
public final class Orphans implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Orphans.class);

  private final KubernetesClient client;
  private final OwnedObjectWriter<Secret> secretWriter;
  private final OwnedObjectWriter<ConfigMap> configMapWriter;
  private volatile Duration grace;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "orphaned-secrets");
    t.setDaemon(true);
    return t;
  });
  /** Checks scheduled and not yet run, by kind/namespace/name: one per object. */
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private volatile BooleanSupplier mayWrite = () -> true;
  private volatile IndexedResourceCache<JwtSecret> primaries;
  private volatile Supplier<SecondarySource<Secret>> secrets;
  private volatile Supplier<SecondarySource<ConfigMap>> configMaps;

  Orphans(KubernetesClient client, OwnedObjectWriter<Secret> secretWriter, OwnedObjectWriter<ConfigMap> configMapWriter,
      Duration grace) {
    this.client = client;
    this.secretWriter = secretWriter;
    this.configMapWriter = configMapWriter;
    this.grace = grace;
  }

  void watch(IndexedResourceCache<JwtSecret> primaries, Supplier<SecondarySource<Secret>> secrets,
      Supplier<SecondarySource<ConfigMap>> configMaps) {
    this.primaries = primaries;
    this.secrets = secrets;
    this.configMaps = configMaps;
  }

  /** Only while this holds does anything get written (the leader; always true without leader election). */
  public Orphans writeOnlyWhen(BooleanSupplier condition) {
    this.mayWrite = condition;
    return this;
  }

  /** How long an object whose owner is gone waits before it is released. */
  public Orphans grace(Duration grace) {
    this.grace = grace;
    return this;
  }

  /** An object the informers delivered: if its owner is not in the cache, look again after the grace. */
  void consider(HasMetadata object) {
    Optional<Succession.OwnerName> owner = Succession.recordedOwner(object);
    if (owner.isEmpty() || ownerCached(owner.get())) {
      return;
    }
    schedule(object instanceof ConfigMap, ResourceID.fromResource(object), grace);
  }

  /**
   * Looks at every managed object in the caches after {@code delay} (at start-up, and when this replica
   * becomes leader), and checks each whose owner is not cached after the grace, as an object that
   * appears: the operator may start (or fail over) in the middle of a restore, which brings the
   * Secrets before their JwtSecrets, and a Secret released then would lose its rotation state.
   */
  public void resync(Duration delay) {
    scheduler.schedule(() -> {
      try {
        Optional.ofNullable(secrets).map(Supplier::get).ifPresent(source -> source.list(s -> true).forEach(this::consider));
        Optional.ofNullable(configMaps).map(Supplier::get).ifPresent(source -> source.list(c -> true).forEach(this::consider));
      } catch (RuntimeException e) {
        LOG.warn("resync of managed Secrets failed: {}", e.getMessage());
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void schedule(boolean configMap, ResourceID id, Duration delay) {
    String key = (configMap ? "ConfigMap/" : "Secret/") + id;
    if (!pending.add(key)) {
      return;
    }
    try {
      scheduler.schedule(() -> {
        pending.remove(key);
        check(configMap, id);
      }, delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      pending.remove(key);
    }
  }

  private boolean ownerCached(Succession.OwnerName owner) {
    IndexedResourceCache<JwtSecret> cache = primaries;
    return cache != null && cache.get(new ResourceID(owner.name(), owner.namespace()))
        .filter(js -> owner.uid().equals(js.getMetadata().getUid())).isPresent();
  }

  /** Re-reads the object from the cache, asks whether its owner is gone, and releases it if so. */
  private void check(boolean configMap, ResourceID id) {
    try {
      if (!mayWrite.getAsBoolean()) {
        return;
      }
      Optional<? extends HasMetadata> found = configMap
          ? Optional.ofNullable(configMaps).map(Supplier::get).flatMap(s -> s.get(id))
          : Optional.ofNullable(secrets).map(Supplier::get).flatMap(s -> s.get(id));
      if (found.isEmpty()) {
        return;
      }
      HasMetadata object = found.get();
      Optional<Succession.OwnerName> owner = Succession.recordedOwner(object);
      if (owner.isEmpty() || ownerCached(owner.get())) {
        return;
      }
      FormerOwner former = lookup(owner.get());
      if (former != FormerOwner.GONE) {
        return;
      }
      // Decide on the object as the server has it now (the cache may lag, or hold less than the data).
      String ns = id.getNamespace().orElseThrow();
      object = configMap ? client.configMaps().inNamespace(ns).withName(id.getName()).get()
          : client.secrets().inNamespace(ns).withName(id.getName()).get();
      if (object == null || !owner.equals(Succession.recordedOwner(object))
          || !Succession.releaseOrphan(object, former)) {
        return;
      }
      if (object instanceof Secret secret) {
        secretWriter.patch(secret, SecretCodec.released(secret, Succession.recordedNextKey(secret, null), owner.get().uid()));
      } else if (object instanceof ConfigMap map) {
        configMapWriter.patch(map, JwksConfigMap.released(map, Optional.empty()));
      }
      LOG.info("released {} {}/{}: its JwtSecret {} no longer exists; it stays as a plain {}", object.getKind(),
          id.getNamespace().orElse(""), id.getName(), owner.get().name(), object.getKind());
    } catch (KubernetesClientException e) {
      // A conflict means the object changed: its event brings it here again.
      LOG.warn("releasing {} {} failed: HTTP {}", configMap ? "ConfigMap" : "Secret", id, e.getCode());
    } catch (RuntimeException e) {
      LOG.warn("releasing {} {} failed: {}", configMap ? "ConfigMap" : "Secret", id, e.getClass().getSimpleName());
    }
  }

  /** What the API says of the owner: the cache first, then a GET by name (the uid tells a restore from the owner). */
  private FormerOwner lookup(Succession.OwnerName owner) {
    IndexedResourceCache<JwtSecret> cache = primaries;
    Optional<JwtSecret> cached = cache == null ? Optional.empty()
        : cache.get(new ResourceID(owner.name(), owner.namespace()));
    JwtSecret live = cached.orElseGet(() ->
        client.resources(JwtSecret.class).inNamespace(owner.namespace()).withName(owner.name()).get());
    if (live == null) {
      return FormerOwner.GONE;
    }
    return owner.uid().equals(live.getMetadata().getUid()) ? FormerOwner.LIVE : FormerOwner.REPLACED;
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
