package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.secret.JwksConfigMap;
import io.photoapp.jwt.secret.Ownership;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.secret.Succession;
import io.photoapp.jwt.spec.SpecResolver;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the Delete event of a JwtSecret does to the Secret and ConfigMap it leaves behind. */
final class OwnerRelease {
  private static final Logger LOG = LoggerFactory.getLogger(OwnerRelease.class);
  private final Caches caches;

  OwnerRelease(Caches caches) {
    this.caches = caches;
  }

  /**
   * The JwtSecret is gone (the Delete event; there is no finalizer). Delete: the garbage collector
   * removes what carries its ownerReference. Retain, or an adopted Secret: released as a plain Secret
   * (the next key, the label and annotations removed), unless a JwtSecret of the same name already
   * takes it over. A Secret whose owner went while the operator was down is released by {@link Orphans}.
   */
  void ownerDeleted(JwtSecret resource) {
    String ns = resource.getMetadata().getNamespace();
    SpecResolver.Result resolved = SpecResolver.resolve(resource);
    String secretName = resolved.spec() != null ? resolved.spec().secretName()
        : Optional.ofNullable(resource.getSpec()).map(s -> s.secret).map(s -> s.name).orElse(resource.getMetadata().getName());
    var primaryCache = caches.primaries;
    boolean sameNameLive = primaryCache != null && primaryCache.get(ResourceID.fromResource(resource))
        .filter(js -> !js.getMetadata().getUid().equals(resource.getMetadata().getUid())).isPresent();
    Secret secret = caches.secretWriter().read(ns, secretName);
    if (secret == null || Ownership.of(secret, resource) != Ownership.OURS) {
      // A refused change of spec.secret.name (SecretSpecImmutable) left the key where it was.
      secret = caches.ownedSecrets(resource).findFirst().map(caches.secrets::whole).orElse(secret);
    }
    boolean releasedSecret = false;
    if (secret != null && Succession.releaseOnOwnerDeleted(secret, resource, sameNameLive)) {
      caches.secretWriter().patch(secret, SecretCodec.released(secret, Succession.recordedNextKey(secret,
          resolved.spec() != null ? resolved.spec().nextDataKey() : null), resource.getMetadata().getUid()));
      releasedSecret = true;
      LOG.info("released Secret {}/{}: it stays as a plain Secret", ns, secret.getMetadata().getName());
    }
    ConfigMap jwks = caches.configMapWriter().read(ns, JwksConfigMap.nameFor(secretName));
    if (jwks != null && Succession.releaseOnOwnerDeleted(jwks, resource, sameNameLive)) {
      // The public keys of what the released Secret still holds: the next key never became current.
      Optional<KeyState> remaining = !releasedSecret || resolved.spec() == null ? Optional.empty()
          : SecretCodec.read(secret, resolved.spec(), resolved.spec().algorithm()).state()
              .map(s -> new KeyState(s.phase(), s.current(), Optional.empty(), s.previous(), s.previousExpiresAt(),
                  s.rotatedAt(), s.reason(), s.rotationCount()));
      caches.configMapWriter().patch(jwks, JwksConfigMap.released(jwks, remaining));
      LOG.info("released ConfigMap {}/{}: it stays as a plain ConfigMap", ns, jwks.getMetadata().getName());
    }
  }

}
