package io.photoapp.jwt.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.secret.OwnedObjectWriter;
import io.photoapp.jwt.secret.OwnedObjects;
import java.util.EnumMap;
import java.util.Map;

/**
 * The informers' caches a reconcile reads, shared by the stages that read them: made when the
 * reconciler's event sources are (the SDK asks for them after the reconciler is built).
 */
final class Caches {
  final Map<TargetKind, SecondarySource<? extends HasMetadata>> workloads = new EnumMap<>(TargetKind.class);
  private final OwnedObjectWriter<Secret> secretWriter;
  private final OwnedObjectWriter<ConfigMap> configMapWriter;
  volatile SecondarySource<Secret> secretSource;
  volatile SecondarySource<ConfigMap> configMapSource;
  volatile OwnedObjects<Secret> secrets;
  volatile OwnedObjects<ConfigMap> configMaps;
  volatile NamespaceLabels namespaceLabels;
  /** The SDK's cache of JwtSecrets: who still exists (former owners, orphans, the sweep of metric series). */
  volatile IndexedResourceCache<JwtSecret> primaries;

  /** The SDK's cache of JwtSecrets as told of each status this operator writes (known from the first reconcile on). */
  volatile io.javaoperatorsdk.operator.api.reconciler.dependent.RecentOperationCacheFiller<JwtSecret> primaryWrites;

  Caches(OwnedObjectWriter<Secret> secretWriter, OwnedObjectWriter<ConfigMap> configMapWriter) {
    this.secretWriter = secretWriter;
    this.configMapWriter = configMapWriter;
  }

  void secrets(SecondarySource<Secret> source) {
    this.secretSource = source;
    this.secrets = new OwnedObjects<>(secretWriter, source.asOwnedCache());
  }

  void configMaps(SecondarySource<ConfigMap> source) {
    this.configMapSource = source;
    this.configMaps = new OwnedObjects<>(configMapWriter, source.asOwnedCache());
  }

  /** The Secrets in the cache that this JwtSecret owns, wherever they are named. */
  java.util.stream.Stream<Secret> ownedSecrets(JwtSecret resource) {
    return secretSource.byIndex(io.photoapp.jwt.secret.SecretIndexes.OWNER_UID, resource.getMetadata().getUid()).stream()
        .filter(s -> resource.getMetadata().getNamespace().equals(s.getMetadata().getNamespace()))
        .filter(s -> io.photoapp.jwt.secret.Ownership.of(s, resource) == io.photoapp.jwt.secret.Ownership.OURS);
  }

  OwnedObjectWriter<Secret> secretWriter() {
    return secretWriter;
  }

  OwnedObjectWriter<ConfigMap> configMapWriter() {
    return configMapWriter;
  }
}
