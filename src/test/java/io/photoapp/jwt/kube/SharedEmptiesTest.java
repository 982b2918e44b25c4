package io.photoapp.jwt.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.restart.WorkloadCopies;
import io.photoapp.jwt.secret.CachedCopies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The caches' copies hold one shared empty list or map where the model's constructors put an empty one of their
 * own (about 45,000 of the 54,000 empty collections at 1,000 JwtSecrets), and read, compare and serialize as before.
 */
class SharedEmptiesTest {
  static Deployment example() throws Exception {
    return Serialization.unmarshal(Files.readString(Path.of("examples", "photoapp-deployment.yaml")).split("\n---\n")[0],
        Deployment.class);
  }

  @Test
  void aCachedWorkloadCopyHoldsNoEmptyCollectionOfItsOwn() throws Exception {
    Deployment copy = WorkloadCopies.forCache(example());
    PodSpec pod = copy.getSpec().getTemplate().getSpec();
    Container container = pod.getContainers().get(0);
    List<Collection<?>> empties = new ArrayList<>();
    List.of(copy.getAdditionalProperties(), copy.getSpec().getAdditionalProperties(), copy.getMetadata().getAdditionalProperties(),
        copy.getMetadata().getAnnotations(), pod.getNodeSelector(), pod.getOverhead(), pod.getAdditionalProperties(),
        container.getAdditionalProperties()).forEach(m -> empties.add(m.keySet()));
    empties.addAll(List.of(copy.getMetadata().getFinalizers(), copy.getMetadata().getOwnerReferences(),
        copy.getMetadata().getManagedFields(), pod.getTolerations(), pod.getHostAliases(), pod.getImagePullSecrets(),
        pod.getTopologySpreadConstraints(), container.getArgs(), container.getCommand(), container.getPorts(),
        container.getVolumeMounts()));
    assertThat(empties).allSatisfy(c -> assertThat(c).isEmpty());
    assertThat(copy.getMetadata().getFinalizers()).isSameAs(List.of());
    assertThat(pod.getTolerations()).isSameAs(List.of());
    assertThat(container.getPorts()).isSameAs(List.of());
    assertThat(container.getAdditionalProperties()).isSameAs(Map.of());
    assertThat(pod.getNodeSelector()).isSameAs(Map.of());
    // What the copy holds stays: the container's references to the key.
    assertThat(container.getEnv()).isNotEmpty();
    assertThat(container.getEnv().get(0).getValueFrom().getSecretKeyRef().getName()).isNotBlank();
  }

  @Test
  void aCopyWithSharedEmptiesEqualsAndSerializesAsOneWithout() throws Exception {
    Deployment copy = WorkloadCopies.forCache(example());
    // The same copy through JSON: every collection its own mutable one again.
    Deployment mutable = Serialization.unmarshal(Serialization.asJson(copy), Deployment.class);
    assertThat(mutable.getMetadata().getFinalizers()).isInstanceOf(ArrayList.class);
    assertThat(Serialization.asJson(copy)).isEqualTo(Serialization.asJson(mutable));
    String json = Serialization.asJson(example());
    Deployment whole = Serialization.unmarshal(json, Deployment.class);
    Deployment shared = Serialization.unmarshal(json, Deployment.class);
    shared.setMetadata(SharedEmpties.metadata(shared.getMetadata()));
    shared.getSpec().getTemplate().setSpec(SharedEmpties.podSpec(shared.getSpec().getTemplate().getSpec()));
    shared.getSpec().getTemplate().getSpec().getContainers().forEach(SharedEmpties::container);
    assertThat(shared).isEqualTo(whole).hasSameHashCodeAs(whole);
  }

  @Test
  void anOwnedSecretIsCachedWithSharedEmptiesAndItsDataUntouched() {
    Secret s = Serialization.unmarshal("""
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "app", "namespace": "ns", "labels": {"x": "y"}},
         "data": {"k": "dg=="}}""", Secret.class);
    Secret cached = SharedEmpties.secret(s);
    assertThat(cached.getStringData()).isSameAs(Map.of());
    assertThat(cached.getMetadata().getOwnerReferences()).isSameAs(List.of());
    assertThat(cached.getData()).containsExactly(Map.entry("k", "dg=="));
    assertThat(cached.getMetadata().getLabels()).containsExactly(Map.entry("x", "y"));
    // A cache is read, never written: a write into a shared empty fails loudly instead of changing every copy.
    assertThatThrownBy(() -> cached.getMetadata().getFinalizers().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aPrunedCopyHasSharedEmptiesToo() {
    Secret s = Serialization.unmarshal("""
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "other", "namespace": "ns",
         "labels": {"jwt.photoapp.io/managed": "true"}}, "data": {"k": "dg=="}}""", Secret.class);
    Secret pruned = CachedCopies.forCache(s, id -> Optional.empty());
    assertThat(CachedCopies.isPruned(pruned)).isTrue();
    assertThat(pruned.getMetadata().getFinalizers()).isSameAs(List.of());
    assertThat(pruned.getMetadata().getAdditionalProperties()).isSameAs(Map.of());
  }

  @Test
  void onlyEmptyCollectionsAreReplaced() {
    List<String> one = new ArrayList<>(List.of("a"));
    Map<String, String> entry = new java.util.LinkedHashMap<>(Map.of("a", "b"));
    assertThat(SharedEmpties.list(one)).isSameAs(one);
    assertThat(SharedEmpties.map(entry)).isSameAs(entry);
    assertThat(SharedEmpties.list(new ArrayList<String>())).isSameAs(List.of());
    assertThat(SharedEmpties.<String>list(null)).isNull();
    assertThat(SharedEmpties.<String, String>map(null)).isNull();
  }
}
