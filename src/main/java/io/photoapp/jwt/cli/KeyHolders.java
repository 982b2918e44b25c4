package io.photoapp.jwt.cli;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.audit.WorkloadRules;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.policy.DuplicateKeys;
import io.photoapp.jwt.policy.Finding;
import io.photoapp.jwt.secret.SecretCodec;
import io.photoapp.jwt.spec.SpecResolver;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The current key of every managed Secret in the cluster, by key id computed from the data, as the
 * operator sees them for the uniqueness rule; unlike the operator, it names the other holders.
 */
final class KeyHolders {
  /** A holder and the Secret ({@code namespace/name}) it was read from. */
  private record Entry(DuplicateKeys.Holder holder, String secret) {}

  private final List<Entry> entries;
  private final List<DuplicateKeys.Holder> holders;

  private KeyHolders(List<Entry> entries) {
    this.entries = entries;
    this.holders = entries.stream().map(Entry::holder).toList();
  }

  /**
   * Managed Secrets of every namespace; when auditing one namespace without the right to list Secrets
   * everywhere, those of {@code inScope} only, with a note saying so.
   */
  static KeyHolders load(KubernetesClient client, String namespace, List<Secret> inScope, List<String> notes) {
    List<Secret> managed = inScope.stream().filter(KeyHolders::managed).toList();
    if (namespace != null) {
      try {
        managed = client.secrets().inAnyNamespace().withLabel(Labels.MANAGED, Labels.TRUE).list().getItems();
      } catch (KubernetesClientException e) {
        notes.add("duplicate-key was checked within namespace " + namespace + " only: cannot list Secrets in every"
            + " namespace (" + CliErrors.describe(e) + ")");
      }
    }
    List<Entry> entries = new ArrayList<>();
    for (Secret s : managed) {
      Map<String, String> a = s.getMetadata().getAnnotations() == null ? Map.of() : s.getMetadata().getAnnotations();
      String dataKey = a.getOrDefault(Labels.DATA_KEYS, SpecResolver.DEFAULT_DATA_KEY).split(",")[0];
      String owner = a.getOrDefault(Labels.OWNER, s.getMetadata().getNamespace() + "/?");
      String where = s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
      decode(s.getData() == null ? null : s.getData().get(dataKey)).ifPresent(v -> entries.add(new Entry(new DuplicateKeys.Holder(
          owner, KeyIds.ofClaimed(v, SecretCodec.currentAlgorithm(s, Algorithm.HS256)), SecretCodec.parseTime(a.get(Labels.KEY_CREATED_AT)).orElse(Instant.EPOCH)), where)));
    }
    return new KeyHolders(entries);
  }

  /** The duplicate-key violation of a later holder, naming the JwtSecrets that held the key first. */
  Optional<Finding> laterHolder(DuplicateKeys.Holder me) {
    if (!DuplicateKeys.isLaterHolder(me, holders)) {
      return Optional.empty();
    }
    List<String> earlier = holders.stream()
        .filter(h -> DuplicateKeys.isLaterHolder(me, List.of(h)))
        .map(DuplicateKeys.Holder::owner).distinct().sorted().toList();
    return Optional.of(Finding.violation(Finding.DUPLICATE_KEY, "the key is also held by JwtSecret "
        + String.join(", ", earlier) + ", which had it first; every environment needs its own key"));
  }

  /** "JwtSecret namespace/name" of every JwtSecret whose current key has this id, but in Secret {@code except}. */
  List<String> holdersOf(String keyId, String except) {
    return entries.stream().filter(e -> e.holder().keyId().equals(keyId) && !e.secret().equals(except))
        .map(e -> "JwtSecret " + e.holder().owner()).distinct().sorted().toList();
  }

  /** The JwtSecrets holding each key id, with the namespace of their Secret, for the workload rules. */
  Map<String, List<WorkloadRules.Holder>> byKeyId() {
    Map<String, List<WorkloadRules.Holder>> byId = new java.util.HashMap<>();
    for (Entry e : entries) {
      byId.computeIfAbsent(e.holder().keyId(), k -> new ArrayList<>()).add(new WorkloadRules.Holder(
          e.secret().substring(0, e.secret().indexOf('/')), "JwtSecret " + e.holder().owner()));
    }
    return byId;
  }

  static Optional<KeyValue> decode(String base64) {
    if (base64 == null || base64.isEmpty()) {
      return Optional.empty();
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(base64);
      return bytes.length == 0 ? Optional.empty() : Optional.of(KeyValue.of(new String(bytes, StandardCharsets.UTF_8)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean managed(Secret s) {
    return s.getMetadata().getLabels() != null && Labels.TRUE.equals(s.getMetadata().getLabels().get(Labels.MANAGED));
  }
}
