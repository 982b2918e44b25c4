package io.photoapp.jwt.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the Deployment controller for the bench: once a second, marks every Deployment whose status
 * lags its generation as rolled out, with one status merge patch each (no resourceVersion, so the
 * operator's own patches never make it give up). The project's SimulatedWorkloadController updates
 * whole objects and abandons the round on the first conflict, which at 1,000 Deployments under the
 * operator's patches made the rollouts, not the operator, the thing measured.
 */
final class WorkloadSimulator implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  WorkloadSimulator(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    executor.scheduleWithFixedDelay(this::round, 0, 1, TimeUnit.SECONDS);
  }

  private void round() {
    try {
      for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
        long gen = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
        Long observed = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
        if (observed == null || observed < gen) {
          try {
            client.apps().deployments().inNamespace(namespace).resource(d).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"observedGeneration\":" + gen
                    + ",\"replicas\":2,\"updatedReplicas\":2,\"readyReplicas\":2,\"availableReplicas\":2}}");
          } catch (KubernetesClientException e) {
            // deleted meanwhile; the next round looks again
          }
        }
      }
    } catch (RuntimeException e) {
      Bench.say("workload simulator: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
