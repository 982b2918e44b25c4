package io.photoapp.jwt.push;

import io.photoapp.jwt.api.ClusterJwtSecretStore;
import io.photoapp.jwt.api.JwtSecretStore;
import java.util.Map;
import java.util.Optional;

/** Where the stores and the namespaces' labels are looked up (the operator's caches). */
public interface StoreDirectory {
  Optional<JwtSecretStore> namespaced(String namespace, String name);

  Optional<ClusterJwtSecretStore> cluster(String name);

  Map<String, String> namespaceLabels(String namespace);
}
