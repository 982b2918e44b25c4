package io.photoapp.jwt.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Plays the Deployment controller for the bench: watches the namespace's Deployments and marks each
 * new generation rolled out with one status patch. The project's SimulatedWorkloadController lists
 * every workload each period and gives up a round on the first conflict, which at 1,000 Deployments
 * under the operator's own patches makes the rollouts, not the operator, the thing measured.
 */
final class WorkloadSimulator implements ResourceEventHandler<Deployment>, AutoCloseable {
  private final KubernetesClient client;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  private final SharedIndexInformer<Deployment> informer;

  WorkloadSimulator(KubernetesClient client, String namespace) {
    this.client = client;
    this.informer = client.apps().deployments().inNamespace(namespace).inform(this);
  }

  @Override
  public void onAdd(Deployment d) {
    long gen = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
    Long observed = d.getStatus() == null ? null : d.getStatus().getObservedGeneration();
    if ((observed == null || observed < gen) && done.add(d.getMetadata().getName() + "@" + gen)) {
      executor.submit(() -> client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(d)
          .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
              "{\"status\":{\"observedGeneration\":" + gen + ",\"replicas\":2,\"updatedReplicas\":2,\"readyReplicas\":2,"
                  + "\"availableReplicas\":2}}"));
    }
  }

  @Override
  public void onUpdate(Deployment old, Deployment d) {
    onAdd(d);
  }

  @Override
  public void onDelete(Deployment d, boolean unknown) {
    // nothing to roll
  }

  @Override
  public void close() {
    informer.close();
    executor.shutdownNow();
  }
}
