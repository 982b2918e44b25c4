package io.photoapp.jwt.restart;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.TargetKind;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Argo Rollouts' {@code Rollout} as a restart target. It is restarted as its own controller expects,
 * with {@code spec.restartAt} (a new pod template would start a new revision, with its canary steps and
 * analysis), so the operator's key-set annotation lives on the Rollout's metadata, not its template.
 * Read as a {@link GenericKubernetesResource}: the operator needs no Argo Rollouts client.
 */
public final class ArgoRollouts {
  public static final String GROUP = "argoproj.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "Rollout";
  public static final String PLURAL = "rollouts";
  /** What status says when Rollouts cannot be read: the CRD is missing, or RBAC does not grant them. */
  public static final String UNAVAILABLE = "Argo Rollouts cannot be read (is the CRD rollouts.argoproj.io installed, "
      + "and the chart value argoRollouts.enabled=true?)";

  /** Named in full, so that no call needs API discovery. */
  public static final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext CONTEXT =
      new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(VERSION)
          .withKind(KIND).withPlural(PLURAL).withNamespaced(true).build();

  private ArgoRollouts() {}

  /**
   * Whether the operator can list Rollouts where it watches (empty: every namespace): false when the
   * CRD is absent or RBAC does not grant them; the operator then runs without, and a Rollout target
   * reports why.
   */
  public static boolean readable(io.fabric8.kubernetes.client.KubernetesClient client, java.util.Set<String> namespaces) {
    try {
      if (client.getApiResources(API_VERSION) == null
          || client.getApiResources(API_VERSION).getResources().stream().noneMatch(r -> PLURAL.equals(r.getName()))) {
        return false;
      }
      var rollouts = client.genericKubernetesResources(CONTEXT);
      if (namespaces.isEmpty()) {
        rollouts.inAnyNamespace().list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
      } else {
        for (String ns : namespaces) {
          rollouts.inNamespace(ns).list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(1L).build());
        }
      }
      return true;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return false;
    }
  }

  /** The body of the merge patch that rolls a Rollout: the key-set annotation and {@code spec.restartAt}. */
  public static Map<String, Object> restartPatch(String annotation, String value, Instant now) {
    return restartPatch(Map.of(annotation, value), now);
  }

  /** The same, with the key-set annotations of several JwtSecrets at once (a coalesced roll: one restart). */
  public static Map<String, Object> restartPatch(Map<String, String> annotations, Instant now) {
    return Map.of("metadata", Map.of("annotations", annotations),
        "spec", Map.of("restartAt", now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()));
  }

  /**
   * As {@code kubectl argo rollouts status} judges it: the controller has observed the generation of
   * the operator's patch, finished the restart it asked for ({@code status.restartedAt}), and reports
   * phase Healthy with every replica updated and available.
   */
  static WorkloadView view(GenericKubernetesResource r) {
    Map<String, Object> spec = map(r.getAdditionalProperties().get("spec"));
    Map<String, Object> status = map(r.getAdditionalProperties().get("status"));
    int desired = integer(spec.get("replicas")).orElse(1);
    Optional<String> unsupported = Boolean.TRUE.equals(spec.get("paused"))
        ? Optional.of("Rollout " + r.getMetadata().getName() + " is paused") : Optional.empty();
    long generation = r.getMetadata().getGeneration() == null ? 0 : r.getMetadata().getGeneration();
    // Argo Rollouts writes observedGeneration as a string.
    long observed = integer(status.get("observedGeneration")).map(Integer::longValue).orElse(0L);
    String phase = text(status.get("phase"));
    int updated = integer(status.get("updatedReplicas")).orElse(0);
    int available = integer(status.get("availableReplicas")).orElse(0);
    String restartAt = text(spec.get("restartAt"));
    String restartedAt = text(status.get("restartedAt"));
    String waiting = null;
    if (observed < generation) {
      waiting = "the controller has not yet observed generation " + generation;
    } else if ("Degraded".equals(phase)) {
      waiting = "phase Degraded";
    } else if (restartAt != null && !restartAt.equals(restartedAt) && !later(restartedAt, restartAt)) {
      waiting = "restarting its pods";
    } else if (updated < desired) {
      waiting = updated + " of " + desired + " replicas updated";
    } else if (available < desired) {
      waiting = available + " of " + desired + " replicas available";
    } else if (phase != null && !"Healthy".equals(phase)) {
      waiting = "phase " + phase;
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (r.getMetadata().getAnnotations() != null) {
      r.getMetadata().getAnnotations().forEach((k, v) -> {
        if (k.startsWith(Labels.KEY_SET_PREFIX)) {
          annotations.put(k, v);
        }
      });
    }
    Map<String, String> labels = r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels();
    return new WorkloadView(TargetKind.Rollout, r.getMetadata().getName(), labels, annotations, template(spec.get("template")),
        generation, observed, unsupported, Optional.ofNullable(waiting));
  }

  /** What the informer keeps of a Rollout: what {@link #view} and {@link PublishAwareness} read, nothing else. */
  static GenericKubernetesResource forCache(GenericKubernetesResource r) {
    GenericKubernetesResource copy = new GenericKubernetesResource();
    copy.setApiVersion(r.getApiVersion());
    copy.setKind(r.getKind());
    var m = r.getMetadata();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (m.getAnnotations() != null) {
      m.getAnnotations().forEach((k, v) -> {
        if (k.startsWith(Labels.KEY_SET_PREFIX) && v != null && v.length() <= WorkloadCopies.MAX_VALUE) {
          annotations.put(k, v);
        }
      });
    }
    copy.setMetadata(new ObjectMetaBuilder().withName(m.getName()).withNamespace(m.getNamespace()).withUid(m.getUid())
        .withResourceVersion(m.getResourceVersion()).withGeneration(m.getGeneration())
        .withCreationTimestamp(m.getCreationTimestamp()).withDeletionTimestamp(m.getDeletionTimestamp())
        .withLabels(m.getLabels()).withAnnotations(annotations).build());
    Map<String, Object> spec = map(r.getAdditionalProperties().get("spec"));
    Map<String, Object> slimSpec = new LinkedHashMap<>();
    for (String k : new String[] {"replicas", "paused", "restartAt"}) {
      if (spec.containsKey(k)) {
        slimSpec.put(k, spec.get(k));
      }
    }
    PodTemplateSpec template = WorkloadCopies.template(template(spec.get("template")));
    if (template != null) {
      slimSpec.put("template", Serialization.jsonMapper().convertValue(template, Map.class));
    }
    copy.setAdditionalProperty("spec", slimSpec);
    Map<String, Object> status = map(r.getAdditionalProperties().get("status"));
    Map<String, Object> slimStatus = new LinkedHashMap<>();
    for (String k : new String[] {"phase", "observedGeneration", "updatedReplicas", "availableReplicas", "restartedAt"}) {
      if (status.containsKey(k)) {
        slimStatus.put(k, status.get(k));
      }
    }
    if (!slimStatus.isEmpty()) {
      copy.setAdditionalProperty("status", slimStatus);
    }
    return copy;
  }

  private static PodTemplateSpec template(Object template) {
    if (!(template instanceof Map)) {
      return null;
    }
    try {
      return Serialization.jsonMapper().convertValue(template, PodTemplateSpec.class);
    } catch (IllegalArgumentException e) {
      // A template this version cannot read: judged as one that reads nothing.
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  private static String text(Object o) {
    return o == null ? null : o.toString();
  }

  private static Optional<Integer> integer(Object o) {
    if (o instanceof Number n) {
      return Optional.of(n.intValue());
    }
    if (o instanceof String s && s.matches("[0-9]{1,9}")) {
      return Optional.of(Integer.parseInt(s));
    }
    return Optional.empty();
  }

  /** Whether RFC 3339 time a is after b; false when either is not one. */
  private static boolean later(String a, String b) {
    try {
      return a != null && b != null && Instant.parse(a).isAfter(Instant.parse(b));
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }
}
