package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.push.KeyPush;
import io.photoapp.jwt.reconciler.Plan.Proceed;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.restart.RestartTargets;
import io.photoapp.jwt.secret.OwnedObjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a plan in the order the contract fixes: the Secret first, then the public keys'
 * ConfigMap (verifiers know a key before any pod signs with it), then the pod templates, then the
 * external stores (after the Secret, only with a key the profile accepts, never holding it up).
 * The Secret's write is announced as soon as it is made.
 */
final class Applier {
  private static final Logger LOG = LoggerFactory.getLogger(Applier.class);

  /** What was written: the Secret as it is now, the rollout after the pod-template patches, the stores' report (null: not pushed). */
  record Applied(Secret secret, RolloutAssessment rollout, KeyPush.Report push) {}

  /** The outcome: applied, or a create met a Secret someone made first (observe again). */
  record Outcome(Applied applied, Secret takenFirst) {}

  private final Caches caches;
  private final TargetRollouts rollouts;
  private final KeyPush push;
  private final KeysMade keysMade;
  private final Reporter reporter;

  Applier(Caches caches, TargetRollouts rollouts, KeyPush push, KeysMade keysMade, Reporter reporter) {
    this.caches = caches;
    this.rollouts = rollouts;
    this.push = push;
    this.keysMade = keysMade;
    this.reporter = reporter;
  }

  Outcome apply(Observation o, Proceed plan) {
    JwtSecret resource = o.resource();
    Secret secret = o.secret();
    if (o.targets() != null) {
      // Workloads seen rolled out give their --max-concurrent-rollouts slots back before any is asked for.
      rollouts.settle(resource.getMetadata().getNamespace(), o.targets());
    }
    if (plan.writesSecret()) {
      keysMade.record(o.uid(), plan.keyWindow());
      OwnedObjects.Write<Secret> write = caches.secrets.write(o.secret(), plan.desiredSecret());
      if (write instanceof OwnedObjects.TakenFirst<Secret> first) {
        // Nothing was written or announced yet.
        return new Outcome(null, first.existing());
      }
      secret = ((OwnedObjects.Written<Secret>) write).object();
    }
    // What the Secret's write did is told at once: a later write that fails must not swallow it.
    reporter.announce(resource, plan.events(), plan.rotations());
    if (plan.desiredConfigMap() != null) {
      publish(o, plan.desiredConfigMap(), plan.state().get().keySet());
    }
    RolloutAssessment rollout = plan.rollout();
    if (rollout != null && !rollout.toPatch().isEmpty()) {
      TargetRollouts.Rolled rolled = rollouts.roll(resource, plan.spec(), plan.state().get(), o.targets(), rollout,
          RestartTargets.recordedGenerations(o.old()));
      rollout = rolled.rollout();
      // Told as soon as the pod templates are patched, as the Secret's write is.
      reporter.announce(resource, rolled.started().stream().toList(), java.util.List.of());
    }
    KeyPush.Report pushed = plan.pushAllowed() ? push.sync(resource, plan.state().get(), o.old().push, o.now()) : null;
    return new Outcome(new Applied(secret, rollout, pushed), null);
  }

  /** Creates or patches the ConfigMap when its content differs from the state's public keys. */
  private void publish(Observation o, ConfigMap desired, String keySet) {
    OwnedObjects.Write<ConfigMap> write = caches.configMaps.write(o.configMap(), desired);
    if (write instanceof OwnedObjects.TakenFirst<ConfigMap>) {
      // The Secret is written already: the SDK's retry observes again.
      throw new KubernetesClientException("ConfigMap " + desired.getMetadata().getNamespace() + "/"
          + desired.getMetadata().getName() + " was created by someone else while this reconcile wrote it", 409, null);
    }
    if (o.configMap() == null) {
      LOG.info("created ConfigMap {}/{} with the public keys of {}", desired.getMetadata().getNamespace(),
          desired.getMetadata().getName(), keySet);
    }
  }
}
