package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.ops.EventRecorder;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.ops.UnreadableObjects;
import io.photoapp.jwt.push.KeyPush;
import io.photoapp.jwt.push.StoreResolver;
import io.photoapp.jwt.restart.WorkloadPatcher;
import io.photoapp.jwt.restart.WorkloadRoller;
import io.photoapp.jwt.rotation.KeyRequestThrottle;
import io.photoapp.jwt.secret.OwnedObjectWriter;
import java.time.Clock;

/**
 * Makes the JwtSecret reconciler and its collaborators: every part it works with is made here, once,
 * and handed in. The operator's composition root ({@code runtime.OperatorRuntime}) calls it.
 */
public final class Wiring {
  private Wiring() {}

  /** The reconciler; stores that are not TLS-protected are refused unless {@code allowInsecureStores}. */
  public static JwtSecretReconciler jwtSecretReconciler(KubernetesClient client, Clock clock, OperatorMetrics metrics,
      EventRecorder events, KeyGenerator generator, String fieldManager, boolean allowInsecureStores) {
    Caches caches = new Caches(OwnedObjectWriter.secrets(client, fieldManager), OwnedObjectWriter.configMaps(client, fieldManager));
    KeysMade keysMade = new KeysMade();
    TargetRollouts rollouts = new TargetRollouts(client,
        new WorkloadRoller(new WorkloadPatcher(client, fieldManager, clock), metrics, clock), caches);
    StoreSources stores = new StoreSources();
    KeyPush push = new KeyPush(client, new StoreResolver(stores, allowInsecureStores), metrics);
    Reporter reporter = new Reporter(events, metrics, new StatusWriter(client), caches);
    JwtSecretReconciler.Parts parts = new JwtSecretReconciler.Parts(caches,
        new Observer(caches, new StoreRestore(push), rollouts, keysMade),
        new Planner(new KeyActions(generator), KeyRequestThrottle.Limit.DEFAULT),
        new Applier(caches, rollouts, push, keysMade, reporter), reporter, push, stores, new UnreadableObjects(metrics),
        new Orphans(client, caches.secretWriter(), caches.configMapWriter(), JwtSecretReconciler.DEFAULT_ORPHAN_GRACE),
        keysMade, new OwnerRelease(caches), rollouts);
    return new JwtSecretReconciler(client, clock, metrics, parts);
  }
}
