package io.photoapp.jwt.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.ops.EventRecorder;
import io.photoapp.jwt.ops.OperatorMetrics;
import io.photoapp.jwt.reconciler.Plan.Report;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.status.Conditions;
import io.photoapp.jwt.status.EventIntent;
import java.util.List;

/** Sends a reconcile's Events, writes its status (only when it changed), and sets its metrics: the one place a reconcile reports. */
final class Reporter {
  private final EventRecorder events;
  private final OperatorMetrics metrics;
  private final StatusWriter statusWriter;
  private final Caches caches;

  Reporter(EventRecorder events, OperatorMetrics metrics, StatusWriter statusWriter, Caches caches) {
    this.events = events;
    this.metrics = metrics;
    this.statusWriter = statusWriter;
    this.caches = caches;
  }

  /** Sends Events and counts rotations: what a write did, or what the status says. */
  void announce(JwtSecret resource, List<EventIntent> intents, List<String> rotations) {
    for (EventIntent e : intents) {
      if (e.warning()) {
        events.warning(resource, e.reason(), e.message());
      } else {
        events.normal(resource, e.reason(), e.message());
      }
    }
    rotations.forEach(reason -> metrics.rotated(resource.getMetadata().getNamespace(), resource.getMetadata().getName(), reason));
  }

  UpdateControl<JwtSecret> report(JwtSecret resource, Report report) {
    String ns = resource.getMetadata().getNamespace();
    String name = resource.getMetadata().getName();
    announce(resource, report.events(), report.rotations());
    JwtSecretStatus status = report.status();
    // The next reconcile must read this status, not the one the watch has yet to deliver: from a
    // stale one it would announce the same change again (bench: 18 % of rollouts did).
    statusWriter.write(resource, status).ifPresent(written -> {
      var primaries = caches.primaryWrites;
      if (primaries != null) {
        primaries.handleRecentResourceUpdate(ResourceID.fromResource(written), written, resource);
      }
    });
    metrics.observe(ns, name, SecretCodec.parseTime(status.lastRotationTime).orElse(null),
        SecretCodec.parseTime(status.nextRotationTime).orElse(null), SecretCodec.parseTime(status.keyCreatedAt).orElse(null),
        Conditions.isTrue(status.conditions, Conditions.READY), report.violatedRules());
    metrics.observeStage(ns, name, status.phase,
        Conditions.find(status.conditions, Conditions.ROLLOUT_COMPLETE).map(c -> Conditions.TRUE.equals(c.getStatus()))
            .orElse(true));
    UpdateControl<JwtSecret> control = UpdateControl.noUpdate();
    control.rescheduleAfter(Resync.after(report.recheck(), resource.getMetadata().getUid()));
    return control;
  }
}
