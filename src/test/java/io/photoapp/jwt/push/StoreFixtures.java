package io.photoapp.jwt.push;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.ClusterJwtSecretStore;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStore;
import io.photoapp.jwt.api.PushTarget;
import io.photoapp.jwt.testing.JwtSecrets;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stores, JwtSecrets and a cluster for the push tests: stores from YAML, a directory of them, and a cluster that mints tokens. */
final class StoreFixtures {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

  private StoreFixtures() {}

  /** A JwtSecretStore from the YAML of its spec. */
  static JwtSecretStore store(String namespace, String name, String specYaml) {
    JwtSecretStore s = Serialization.unmarshal("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: JwtSecretStore
        metadata: {name: %s, namespace: %s, uid: uid-%s, generation: 1}
        spec: %s
        """.formatted(name, namespace, name, specYaml), JwtSecretStore.class);
    return s;
  }

  /** A ClusterJwtSecretStore from the YAML of its spec. */
  static ClusterJwtSecretStore clusterStore(String name, String specYaml) {
    return Serialization.unmarshal("""
        apiVersion: jwt.photoapp.io/v1alpha1
        kind: ClusterJwtSecretStore
        metadata: {name: %s, uid: uid-%s, generation: 1}
        spec: %s
        """.formatted(name, name, specYaml), ClusterJwtSecretStore.class);
  }

  /**
   * A production JwtSecret with the given spec.push, written as YAML: the push tables read as the
   * entries a user writes, malformed values included (a timeout of "soon", a path that climbs).
   */
  static JwtSecret jwtSecret(String namespace, String name, String pushYaml) {
    JwtSecret js = JwtSecrets.named(name).in(namespace).uid("11111111-2222-3333-4444-555555555555").production().build();
    try {
      js.getSpec().push = List.of(YAML.readValue(pushYaml, PushTarget[].class));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not a push list: " + pushYaml, e);
    }
    return js;
  }

  /** A directory over given stores and namespace labels. */
  static final class Directory implements StoreDirectory {
    final Map<String, JwtSecretStore> namespaced = new ConcurrentHashMap<>();
    final Map<String, ClusterJwtSecretStore> cluster = new ConcurrentHashMap<>();
    final Map<String, Map<String, String>> labels = new ConcurrentHashMap<>();

    Directory with(HasMetadata store) {
      if (store instanceof JwtSecretStore s) {
        namespaced.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
      } else {
        cluster.put(store.getMetadata().getName(), (ClusterJwtSecretStore) store);
      }
      return this;
    }

    Directory labelled(String namespace, Map<String, String> l) {
      labels.put(namespace, l);
      return this;
    }

    @Override
    public Optional<JwtSecretStore> namespaced(String namespace, String name) {
      return Optional.ofNullable(namespaced.get(namespace + "/" + name));
    }

    @Override
    public Optional<ClusterJwtSecretStore> cluster(String name) {
      return Optional.ofNullable(cluster.get(name));
    }

    @Override
    public Map<String, String> namespaceLabels(String namespace) {
      return labels.getOrDefault(namespace, Map.of());
    }
  }

  /**
   * A cluster that holds Secrets and ConfigMaps by "namespace/name/key", mints tokens as the
   * TokenRequest API does (a JWT whose {@code sub} names the ServiceAccount), and records each mint.
   */
  /** The JDK HttpClients' selector threads alive, once those of unreachable clients have ended (or 10s). */
  static long selectorThreads(long enough) throws InterruptedException {
    long count;
    int rounds = 0;
    do {
      System.gc();
      Thread.sleep(200);
      count = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().endsWith("-SelectorManager")).count();
    } while (count > enough && ++rounds < 50);
    return count;
  }

  static class Cluster implements ClusterValues {
    final Map<String, String> secrets = new ConcurrentHashMap<>();
    final Map<String, String> configMaps = new ConcurrentHashMap<>();
    final List<String> minted = new CopyOnWriteArrayList<>();
    volatile String operatorToken;

    @Override
    public Optional<String> secret(String namespace, String name, String key) {
      return Optional.ofNullable(secrets.get(namespace + "/" + name + "/" + key));
    }

    @Override
    public Optional<String> configMap(String namespace, String name, String key) {
      return Optional.ofNullable(configMaps.get(namespace + "/" + name + "/" + key));
    }

    @Override
    public String serviceAccountToken(String namespace, String serviceAccount, List<String> audiences) {
      minted.add(namespace + "/" + serviceAccount + " " + audiences);
      return serviceAccountJwt(namespace, serviceAccount, audiences);
    }

    @Override
    public String operatorToken() throws PushException {
      if (operatorToken == null) {
        throw new PushException(PushException.Reason.CredentialsUnavailable, "the operator's own ServiceAccount token is not mounted");
      }
      return operatorToken;
    }
  }

  /** An unsigned JWT as a minted ServiceAccount token looks to its reader: sub and aud. */
  static String serviceAccountJwt(String namespace, String serviceAccount, List<String> audiences) {
    try {
      String payload = JSON.writeValueAsString(Map.of("sub", "system:serviceaccount:" + namespace + ":" + serviceAccount,
          "aud", audiences, "iss", "https://kubernetes.default.svc"));
      Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
      return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
          + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".sig";
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The {@code sub} claim of a JWT (read without checking it, as a fake store may). */
  static String subjectOf(String jwt) {
    try {
      String[] parts = jwt.split("\\.");
      return JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).path("sub").asText();
    } catch (Exception e) {
      return "";
    }
  }

  /** The only target of a JwtSecret, resolved against a directory. */
  static Target resolveOne(Directory directory, JwtSecret js, boolean allowInsecure) {
    List<Target> targets = new StoreResolver(directory, allowInsecure).resolve(js);
    if (targets.size() != 1) {
      throw new IllegalStateException("expected one target, got " + targets);
    }
    return targets.get(0);
  }
}
