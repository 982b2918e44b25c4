package io.photoapp.jwt.testing;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Every version of every managed Secret while watched, reduced to key ids (never key values): which
 * key was current, next and previous, and what the JWK set held, with the test clock's time when
 * the version was seen. For "never" assertions about keys that must stay.
 */
public final class SecretHistory implements AutoCloseable {
  /** One version of a Secret as the watch saw it. */
  public record Version(Instant seenAt, String resourceVersion, boolean deleted, String current, String next,
      String previous, List<String> jwks, Map<String, String> annotations) {
    /** Key ids in the data, current first. */
    public List<String> keys() {
      List<String> ids = new ArrayList<>();
      for (String id : new String[] {current, next, previous}) {
        if (id != null) {
          ids.add(id);
        }
      }
      return ids;
    }

    public boolean holds(String keyId) {
      return keys().contains(keyId);
    }
  }

  private final Clock clock;
  private final Map<String, List<Version>> versions = new java.util.concurrent.ConcurrentHashMap<>();
  private final Watch watch;

  private SecretHistory(KubernetesClient client, Clock clock) {
    this.clock = clock;
    watch = client.secrets().inAnyNamespace().withLabel(Labels.MANAGED, Labels.TRUE).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Secret secret) {
        record(action == Action.DELETED, secret);
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  /** Starts watching the managed Secrets of every namespace. */
  public static SecretHistory watch(KubernetesClient client, Clock clock) {
    return new SecretHistory(client, clock);
  }

  /** The versions of one Secret, oldest first. */
  public List<Version> versions(String namespace, String name) {
    List<Version> list = versions.get(namespace + "/" + name);
    if (list == null) {
      return List.of();
    }
    synchronized (list) {
      return List.copyOf(list);
    }
  }

  private void record(boolean deleted, Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    Map<String, String> annotations = secret.getMetadata().getAnnotations() == null ? Map.of()
        : Map.copyOf(secret.getMetadata().getAnnotations());
    Version v = new Version(clock.instant(), secret.getMetadata().getResourceVersion(), deleted,
        id(data.get("jwt-secret-key")), id(data.get("jwt-secret-key-next")), id(data.get("jwt-secret-key-previous")),
        jwkIds(data.get("jwks-secret.json")), annotations);
    List<Version> list = versions.computeIfAbsent(secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName(),
        k -> new ArrayList<>());
    synchronized (list) {
      list.add(v);
    }
  }

  private static String id(String base64) {
    return base64 == null ? null : KeyIds.of(KeyValue.ofUtf8(Base64.getDecoder().decode(base64)));
  }

  private static List<String> jwkIds(String base64) {
    if (base64 == null) {
      return List.of();
    }
    try {
      return JWKSet.parse(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8)).getKeys().stream()
          .map(JWK::getKeyID).toList();
    } catch (ParseException e) {
      return List.of("<not a JWK set>");
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
