package io.photoapp.jwt.ops;

import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.UnreadableField;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports JwtSecrets with fields this operator could not read (a cluster whose CRD has no schema):
 * one log line naming the object and the fields (never their values) and one count in
 * {@code jwtsecret_unreadable_objects_total{namespace}} for each object and set of fields, however
 * often it is reconciled.
 */
public final class UnreadableObjects {
  private static final Logger LOG = LoggerFactory.getLogger(UnreadableObjects.class);
  private final OperatorMetrics metrics;
  /** uid to the fields last reported for it. */
  private final Map<String, String> reported = new ConcurrentHashMap<>();

  public UnreadableObjects(OperatorMetrics metrics) {
    this.metrics = metrics;
  }

  /** Reports the JwtSecret's unreadable fields, unless the same were reported for it before. */
  public void observe(JwtSecret resource) {
    String uid = String.valueOf(resource.getMetadata().getUid());
    if (resource.unreadableFields().isEmpty()) {
      reported.remove(uid);
      return;
    }
    String fields = resource.unreadableFields().stream().map(UnreadableField::path).distinct()
        .collect(Collectors.joining(", "));
    if (fields.equals(reported.put(uid, fields))) {
      return;
    }
    String ns = resource.getMetadata().getNamespace();
    LOG.warn("JwtSecret {}/{} has fields this operator cannot read (wrong type or unknown value): {}; they read as absent"
        + " and the JwtSecret reports InvalidSpec", ns, resource.getMetadata().getName(), fields);
    metrics.unreadableObject(ns);
  }

  /** Forgets a deleted JwtSecret. */
  public void forget(String uid) {
    reported.remove(uid);
  }

  /** Forgets every JwtSecret whose uid {@code exists} denies. */
  public void retain(java.util.function.Predicate<String> exists) {
    reported.keySet().removeIf(uid -> !exists.test(uid));
  }
}
