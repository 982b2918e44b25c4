package io.photoapp.jwt.push;

import io.photoapp.jwt.api.ServiceAccountRef;
import io.photoapp.jwt.api.StoreKind;
import io.photoapp.jwt.api.StoreSpec;
import java.util.List;

/**
 * A store as a push uses it: which object (kind, name, namespace for a JwtSecretStore, uid and
 * resourceVersion, so that what is cached for it is dropped when it changes), its checked settings,
 * and where the objects it refers to live. A JwtSecretStore reads only its own namespace; a
 * ClusterJwtSecretStore reads the namespace each reference names.
 */
public record ResolvedStore(StoreKind kind, String name, String namespace, String uid, String version, StoreSpec spec,
    Provider provider) {
  public static final List<String> VAULT_AUDIENCES = List.of("vault");
  public static final List<String> AWS_AUDIENCES = List.of("sts.amazonaws.com");
  public static final List<String> AZURE_AUDIENCES = List.of("api://AzureADTokenExchange");

  public boolean cluster() {
    return kind == StoreKind.ClusterJwtSecretStore;
  }

  /** The namespace of a Secret or ConfigMap the store refers to. */
  public String objectNamespace(String refNamespace) {
    return cluster() ? refNamespace : namespace;
  }

  /** The namespace of the ServiceAccount whose token is minted, for a push of a JwtSecret in {@code jwtNamespace}. */
  public String serviceAccountNamespace(ServiceAccountRef sa, String jwtNamespace) {
    if (!cluster()) {
      return namespace;
    }
    return sa.namespace == null || sa.namespace.isBlank() ? jwtNamespace : sa.namespace;
  }

  /** The audiences of a minted token: the given ones, or the provider's default. */
  public List<String> audiences(ServiceAccountRef sa) {
    if (sa.audiences != null && !sa.audiences.isEmpty()) {
      return List.copyOf(sa.audiences);
    }
    return switch (provider) {
      case VAULT -> VAULT_AUDIENCES;
      case AWS_SECRETS_MANAGER -> AWS_AUDIENCES;
      case AZURE_KEY_VAULT -> AZURE_AUDIENCES;
    };
  }

  /** The store as named in status: kind/name. */
  public String display() {
    return kind + "/" + name;
  }
}
