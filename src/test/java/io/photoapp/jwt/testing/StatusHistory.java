package io.photoapp.jwt.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStatus;
import java.util.ArrayList;
import java.util.List;

/** Every status a JwtSecret showed while watched, for "never" assertions about passing states. */
public final class StatusHistory implements AutoCloseable {
  private final List<JwtSecretStatus> statuses = new ArrayList<>();
  private final Watch watch;

  private StatusHistory(KubernetesClient client, String namespace, String name) {
    watch = client.resources(JwtSecret.class).inNamespace(namespace).withName(name).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, JwtSecret resource) {
        if (resource.getStatus() != null) {
          synchronized (statuses) {
            statuses.add(resource.getStatus());
          }
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  /** Starts watching; start before the JwtSecret exists to see every status it ever shows. */
  public static StatusHistory watch(KubernetesClient client, String namespace, String name) {
    return new StatusHistory(client, namespace, name);
  }

  public List<JwtSecretStatus> statuses() {
    synchronized (statuses) {
      return List.copyOf(statuses);
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
