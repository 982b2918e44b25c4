package io.photoapp.jwt.testing;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.photoapp.jwt.api.AwsSecretsManagerProvider;
import io.photoapp.jwt.api.ClusterJwtSecretStore;
import io.photoapp.jwt.api.ClusterStoreSpec;
import io.photoapp.jwt.api.JwtSecretStore;
import io.photoapp.jwt.api.SecretKeyRef;
import io.photoapp.jwt.api.StoreCondition;
import io.photoapp.jwt.api.StoreSpec;
import io.photoapp.jwt.api.VaultProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a JwtSecretStore or ClusterJwtSecretStore for a test:
 * {@code Stores.vault("vault").in(ns).at(url).pathPrefix("apps/{namespace}").tokenFrom("vault-token", "token")}.
 */
public final class Stores {
  private final String name;
  private String namespace;
  private final List<Consumer<StoreSpec>> spec = new ArrayList<>();
  private final List<StoreCondition> conditions = new ArrayList<>();

  private Stores(String name) {
    this.name = name;
  }

  /** A store backed by Vault's KV v2 engine. */
  public static Stores vault(String name) {
    Stores s = new Stores(name);
    return s.with(spec -> spec.vault = new VaultProvider());
  }

  /** A store backed by AWS Secrets Manager. */
  public static Stores awsSecretsManager(String name) {
    Stores s = new Stores(name);
    return s.with(spec -> spec.awsSecretsManager = new AwsSecretsManagerProvider());
  }

  /** The namespace of a JwtSecretStore; without one, {@link #build()} makes a namespaced store anyway and {@link #buildCluster()} a cluster one. */
  public Stores in(String namespace) {
    this.namespace = namespace;
    return this;
  }

  /** The server's address (Vault) or endpoint (AWS). */
  public Stores at(String url) {
    return with(s -> {
      if (s.vault != null) {
        s.vault.address = url;
      } else {
        s.awsSecretsManager.endpoint = url;
      }
    });
  }

  public Stores pathPrefix(String prefix) {
    return with(s -> {
      if (s.vault != null) {
        s.vault.pathPrefix = prefix;
      } else {
        s.awsSecretsManager.namePrefix = prefix;
      }
    });
  }

  public Stores region(String region) {
    return with(s -> s.awsSecretsManager.region = region);
  }

  /** Vault: log in with a static token kept in a Secret of the store's namespace. */
  public Stores tokenFrom(String secret, String key) {
    return with(s -> {
      s.vault.auth = new VaultProvider.VaultAuth();
      s.vault.auth.tokenSecretRef = new SecretKeyRef(secret, key, null);
    });
  }

  /** AWS: assume a role with the operator's own ServiceAccount token. */
  public Stores operatorIdentity() {
    return with(s -> {
      s.awsSecretsManager.auth = new AwsSecretsManagerProvider.AwsAuth();
      s.awsSecretsManager.auth.jwt = new AwsSecretsManagerProvider.AwsJwtAuth();
      s.awsSecretsManager.auth.jwt.operatorIdentity = true;
    });
  }

  /** The namespace, or null for a cluster store. */
  public String namespace() {
    return namespace;
  }

  /** A cluster store: the namespaces it admits. */
  public Stores forNamespaces(String... namespaces) {
    StoreCondition c = new StoreCondition();
    c.namespaces = List.of(namespaces);
    conditions.add(c);
    return this;
  }

  /** Any other change to the spec. */
  public Stores with(Consumer<StoreSpec> change) {
    spec.add(change);
    return this;
  }

  public JwtSecretStore build() {
    JwtSecretStore store = new JwtSecretStore();
    store.setMetadata(meta());
    StoreSpec s = new StoreSpec();
    spec.forEach(c -> c.accept(s));
    store.setSpec(s);
    return store;
  }

  public ClusterJwtSecretStore buildCluster() {
    ClusterJwtSecretStore store = new ClusterJwtSecretStore();
    store.setMetadata(meta());
    ClusterStoreSpec s = new ClusterStoreSpec();
    spec.forEach(c -> c.accept(s));
    s.conditions = conditions.isEmpty() ? null : new ArrayList<>(conditions);
    store.setSpec(s);
    return store;
  }

  private ObjectMeta meta() {
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(namespace);
    return meta;
  }
}
