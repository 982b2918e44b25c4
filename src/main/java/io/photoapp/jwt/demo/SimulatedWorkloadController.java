package io.photoapp.jwt.demo;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.photoapp.jwt.restart.ArgoRollouts;
import java.util.LinkedHashMap;
import java.util.Map;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Plays the part of the Deployment, StatefulSet and DaemonSet controllers on an API server that runs
 * none (the fabric8 mock server): a workload whose status lags its generation is marked rolled out.
 */
public final class SimulatedWorkloadController implements AutoCloseable {
  private final KubernetesClient client;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulated-workload-controller");
    t.setDaemon(true);
    return t;
  });

  public SimulatedWorkloadController(KubernetesClient client) {
    this.client = client;
  }

  public SimulatedWorkloadController start(long periodMillis) {
    executor.scheduleWithFixedDelay(this::completeRollouts, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Marks every workload whose controller has not caught up as fully rolled out. */
  public void completeRollouts() {
    try {
      for (Deployment d : client.apps().deployments().inAnyNamespace().list().getItems()) {
        long gen = gen(d.getMetadata().getGeneration());
        if (d.getStatus() == null || d.getStatus().getObservedGeneration() == null || d.getStatus().getObservedGeneration() < gen) {
          int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
          d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(gen).withReplicas(replicas)
              .withUpdatedReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas).build());
          client.apps().deployments().resource(d).updateStatus();
        }
      }
      for (StatefulSet s : client.apps().statefulSets().inAnyNamespace().list().getItems()) {
        long gen = gen(s.getMetadata().getGeneration());
        if (s.getStatus() == null || s.getStatus().getObservedGeneration() == null || s.getStatus().getObservedGeneration() < gen) {
          int replicas = s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas();
          s.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(gen).withReplicas(replicas)
              .withUpdatedReplicas(replicas).withReadyReplicas(replicas).withAvailableReplicas(replicas)
              .withCurrentRevision("r" + gen).withUpdateRevision("r" + gen).build());
          client.apps().statefulSets().resource(s).updateStatus();
        }
      }
      for (DaemonSet ds : client.apps().daemonSets().inAnyNamespace().list().getItems()) {
        long gen = gen(ds.getMetadata().getGeneration());
        if (ds.getStatus() == null || ds.getStatus().getObservedGeneration() == null || ds.getStatus().getObservedGeneration() < gen) {
          ds.setStatus(new DaemonSetStatusBuilder().withObservedGeneration(gen).withDesiredNumberScheduled(2)
              .withCurrentNumberScheduled(2).withUpdatedNumberScheduled(2).withNumberAvailable(2).withNumberReady(2).build());
          client.apps().daemonSets().resource(ds).updateStatus();
        }
      }
    } catch (KubernetesClientException e) {
      // A workload changed under us; the next round catches up.
    }
    completeArgoRollouts();
  }

  /** Plays the Argo Rollouts controller, where its CRD is installed: a restart asked for is done, the Rollout Healthy. */
  @SuppressWarnings("unchecked")
  private void completeArgoRollouts() {
    try {
      if (client.getApiResources(ArgoRollouts.API_VERSION) == null) {
        return;
      }
      for (GenericKubernetesResource r : client.genericKubernetesResources(ArgoRollouts.CONTEXT).inAnyNamespace().list().getItems()) {
        long gen = gen(r.getMetadata().getGeneration());
        Map<String, Object> spec = r.getAdditionalProperties().get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> status = r.getAdditionalProperties().get("status") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Object restartAt = spec.get("restartAt");
        boolean behind = !String.valueOf(gen).equals(String.valueOf(status.get("observedGeneration")))
            || (restartAt != null && !restartAt.equals(status.get("restartedAt")));
        if (behind) {
          int replicas = spec.get("replicas") instanceof Number n ? n.intValue() : 1;
          Map<String, Object> done = new LinkedHashMap<>();
          // As the Argo Rollouts controller writes it: observedGeneration is a string.
          done.put("observedGeneration", String.valueOf(gen));
          done.put("phase", "Healthy");
          done.put("replicas", replicas);
          done.put("updatedReplicas", replicas);
          done.put("readyReplicas", replicas);
          done.put("availableReplicas", replicas);
          if (restartAt != null) {
            done.put("restartedAt", restartAt);
          }
          r.setAdditionalProperty("status", done);
          client.genericKubernetesResources(ArgoRollouts.CONTEXT).resource(r).updateStatus();
        }
      }
    } catch (KubernetesClientException e) {
      // No Rollouts here, or one changed under us; the next round catches up.
    }
  }

  private static long gen(Long generation) {
    return generation == null ? 1 : generation;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
