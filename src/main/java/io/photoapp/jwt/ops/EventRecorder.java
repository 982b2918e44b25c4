package io.photoapp.jwt.ops;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events on a JwtSecret. A repeated event (same object, reason and message) is
 * aggregated into one Event whose count grows, as kubectl's event recorder does.
 */
public class EventRecorder {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final String COMPONENT = "jwt-secret-operator";
  private static final int MAX_REMEMBERED = 4096;

  private final KubernetesClient client;
  private final Clock clock;
  /** Counts of the events recorded lately; the oldest are forgotten (a forgotten one is read back on 409). */
  private final Map<String, Integer> counts = Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > MAX_REMEMBERED;
    }
  });

  public EventRecorder(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(HasMetadata object, String reason, String message) {
    record(object, NORMAL, reason, message);
  }

  public void warning(HasMetadata object, String reason, String message) {
    record(object, WARNING, reason, message);
  }

  /** Never throws: an event that cannot be recorded is logged and dropped. */
  public void record(HasMetadata object, String type, String reason, String message) {
    String namespace = object.getMetadata().getNamespace();
    String name = eventName(object, type, reason, message);
    String now = clock.instant().toString();
    LOG.info("event {} {} on {}/{}: {}", type, reason, namespace, object.getMetadata().getName(), message);
    try {
      Integer seen = counts.get(namespace + "/" + name);
      if (seen != null) {
        int count = seen + 1;
        try {
          client.v1().events().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
              "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
          counts.put(namespace + "/" + name, count);
          return;
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
      }
      Event event = newEvent(object, name, type, reason, message, now);
      try {
        client.v1().events().inNamespace(namespace).resource(event).create();
        counts.put(namespace + "/" + name, 1);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
        if (existing == null) {
          // A conflict, yet no such Event: whatever conflicted is gone, so record it now.
          client.v1().events().inNamespace(namespace).resource(event).create();
          counts.put(namespace + "/" + name, 1);
          return;
        }
        if (isThisCreate(existing, now)) {
          // This very create landed but its reply was lost, and the client sent it again: one event, not two.
          counts.put(namespace + "/" + name, 1);
          return;
        }
        // Recorded before this process started: continue its count.
        int count = existing.getCount() == null ? 2 : existing.getCount() + 1;
        client.v1().events().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"count\":" + count + ",\"lastTimestamp\":\"" + now + "\"}");
        counts.put(namespace + "/" + name, count);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not record event {} on {}/{}: {}", reason, namespace, object.getMetadata().getName(), e.getMessage());
    }
  }

  private static Event newEvent(HasMetadata object, String name, String type, String reason, String message, String now) {
    String namespace = object.getMetadata().getNamespace();
    return new EventBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(object.getApiVersion()).withKind(object.getKind())
          .withName(object.getMetadata().getName()).withNamespace(namespace)
          .withUid(object.getMetadata().getUid()).withResourceVersion(object.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(type).withReason(reason).withMessage(truncate(message))
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT).withReportingInstance(COMPONENT)
        .build();
  }

  /** Whether an Event is the one being created now: count 1, first and last seen at this moment. */
  private static boolean isThisCreate(Event existing, String now) {
    return Integer.valueOf(1).equals(existing.getCount()) && now.equals(existing.getFirstTimestamp())
        && now.equals(existing.getLastTimestamp());
  }

  static String eventName(HasMetadata object, String type, String reason, String message) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((object.getMetadata().getUid() + "|" + type + "|" + reason + "|" + message).getBytes(StandardCharsets.UTF_8));
      String suffix = HexFormat.of().formatHex(sha.digest()).substring(0, 16);
      String base = object.getMetadata().getName();
      if (base.length() > 200) {
        base = base.substring(0, 200);
      }
      return base + "." + suffix;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String truncate(String message) {
    return message.length() > 1024 ? message.substring(0, 1021) + "..." : message;
  }
}
