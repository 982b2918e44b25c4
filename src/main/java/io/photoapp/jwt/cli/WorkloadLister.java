package io.photoapp.jwt.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.AnyNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.photoapp.jwt.audit.WorkloadFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads the pod specs of the workloads in scope (Deployments, StatefulSets, DaemonSets, CronJobs,
 * Jobs not made by a CronJob, Pods not made by any of these) in pages, keeping only their
 * {@link WorkloadFacts}. A kind it may not list is skipped with a note naming the kind.
 */
final class WorkloadLister {
  private static final long PAGE = 250;
  /** Owners whose pods are audited through their template. */
  private static final Set<String> POD_OWNERS = Set.of("ReplicaSet", "StatefulSet", "DaemonSet", "Job");

  private final KubernetesClient client;
  private final String namespace;
  private final List<String> notes;
  private final List<WorkloadFacts> facts = new ArrayList<>();
  private int scanned;

  /** @param namespace the namespace to read, or null for every namespace */
  WorkloadLister(KubernetesClient client, String namespace, List<String> notes) {
    this.client = client;
    this.namespace = namespace;
    this.notes = notes;
  }

  /** Facts of every workload in scope that concerns a rule; {@link #scanned()} counts them all. */
  List<WorkloadFacts> list() {
    read("Deployment", "deployments.apps", client.apps().deployments(), d -> d.getSpec() == null || d.getSpec().getTemplate() == null
        ? null : d.getSpec().getTemplate().getSpec(), w -> true);
    read("StatefulSet", "statefulsets.apps", client.apps().statefulSets(), s -> s.getSpec() == null
        || s.getSpec().getTemplate() == null ? null : s.getSpec().getTemplate().getSpec(), w -> true);
    read("DaemonSet", "daemonsets.apps", client.apps().daemonSets(), d -> d.getSpec() == null
        || d.getSpec().getTemplate() == null ? null : d.getSpec().getTemplate().getSpec(), w -> true);
    cronJobs();
    read("Job", "jobs.batch", client.batch().v1().jobs(), j -> j.getSpec() == null || j.getSpec().getTemplate() == null
        ? null : j.getSpec().getTemplate().getSpec(), j -> !ownedBy(j, Set.of("CronJob")));
    read("Pod", "pods", client.pods(), io.fabric8.kubernetes.api.model.Pod::getSpec, p -> !ownedBy(p, POD_OWNERS));
    return facts;
  }

  /** Workloads read, whether or not they concern a rule. */
  int scanned() {
    return scanned;
  }

  /** batch/v1, or batch/v1beta1 where the API server predates it (Kubernetes before 1.21). */
  private void cronJobs() {
    try {
      readOrThrow("CronJob", client.batch().v1().cronjobs(), c -> c.getSpec() == null || c.getSpec().getJobTemplate() == null
          || c.getSpec().getJobTemplate().getSpec() == null || c.getSpec().getJobTemplate().getSpec().getTemplate() == null
          ? null : c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec(), c -> true);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        skipped("CronJob", "cronjobs.batch", e);
        return;
      }
      read("CronJob", "cronjobs.batch", client.batch().v1beta1().cronjobs(), c -> c.getSpec() == null
          || c.getSpec().getJobTemplate() == null || c.getSpec().getJobTemplate().getSpec() == null
          || c.getSpec().getJobTemplate().getSpec().getTemplate() == null
          ? null : c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec(), c -> true);
    }
  }

  private <T extends HasMetadata, L extends KubernetesResourceList<T>> void read(String kind, String resource,
      MixedOperation<T, L, ?> op, Function<T, PodSpec> spec, Predicate<T> audited) {
    try {
      readOrThrow(kind, op, spec, audited);
    } catch (KubernetesClientException e) {
      skipped(kind, resource, e);
    }
  }

  private <T extends HasMetadata, L extends KubernetesResourceList<T>> void readOrThrow(String kind,
      MixedOperation<T, L, ?> op, Function<T, PodSpec> spec, Predicate<T> audited) {
    AnyNamespaceOperation<T, L, ?> scope = namespace == null ? op.inAnyNamespace() : op.inNamespace(namespace);
    String next = null;
    List<WorkloadFacts> page = new ArrayList<>();
    int count = 0;
    do {
      ListOptions options = new ListOptionsBuilder().withLimit(PAGE).withContinue(next).build();
      L list = scope.list(options);
      for (T item : list.getItems()) {
        if (audited.test(item)) {
          count++;
          WorkloadFacts f = WorkloadFacts.of(kind, item.getMetadata().getNamespace(), item.getMetadata().getName(),
              spec.apply(item));
          if (!f.isEmpty()) {
            page.add(f);
          }
        }
      }
      next = list.getMetadata() == null ? null : list.getMetadata().getContinue();
    } while (next != null && !next.isEmpty());
    // Only a kind read to the end counts: a list refused halfway is skipped whole.
    facts.addAll(page);
    scanned += count;
  }

  private void skipped(String kind, String resource, KubernetesClientException e) {
    String where = namespace == null ? "in every namespace" : "in namespace " + namespace;
    notes.add("cannot list " + resource + " " + where + " (" + CliErrors.describe(e) + "): " + kind
        + "s were not audited; grant list on " + resource);
  }

  private static boolean ownedBy(HasMetadata item, Set<String> kinds) {
    List<OwnerReference> owners = item.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> kinds.contains(o.getKind()));
  }
}
