package io.photoapp.jwt.ops;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the leader's Lease up at shutdown, so that a standby replica takes over at once instead
 * of after the lease duration.
 *
 * <p>JOSDK 5.2 builds fabric8's {@code LeaderElector} with {@code releaseOnCancel} off, and
 * fabric8's own release would not help: its merge patch drops a null holder, and fabric8
 * candidates wait out their own lease duration from the last renewal whatever the Lease says.
 * An empty holder, as client-go's release writes, lets every candidate take the Lease on its
 * next retry.
 */
public final class LeaseRelease {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseRelease.class);

  private LeaseRelease() {}

  /** Empties the holder if {@code identity} still holds the Lease; true when released. Never throws. */
  public static boolean release(KubernetesClient client, String namespace, String name, String identity) {
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return false;
      }
      // Wall-clock time: the candidates compare it with their own clocks.
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity("");
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setAcquireTime(now);
      lease.getSpec().setRenewTime(now);
      // An update carries the resourceVersion read above: if another replica has taken the
      // Lease meanwhile, it fails with a conflict and the new holder keeps it.
      client.leases().inNamespace(namespace).resource(lease).update();
      LOG.info("released Lease {}/{}", namespace, name);
      return true;
    } catch (KubernetesClientException e) {
      LOG.warn("could not release Lease {}/{} (the standby takes over when it expires): {}", namespace, name,
          e.getMessage());
      return false;
    }
  }
}
