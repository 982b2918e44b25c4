package io.photoapp.jwt.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.photoapp.jwt.api.SecretTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretMetadataTest {

  @ParameterizedTest(name = "label {0}={1}: kept {2}")
  @CsvSource({
      "team, web, true",
      "app.kubernetes.io/part-of, photoapp, true",
      "'', web, false",
      "team, 'two words', false",
      "team, '', true",
      "Bad_Prefix/x, web, false",
      "-leading, web, false",
      "jwt.photoapp.io/managed, 'false', false",
      "jwt.photoapp.io/owner-uid, forged, false",
      "sub.jwt.photoapp.io/x, y, false",
      "notjwt.photoapp.io/x, y, true",
  })
  void labelsAreKeptOnlyWhenKubernetesAcceptsThemAndTheyAreNotTheOperators(String key, String value, boolean kept) {
    SecretTemplate template = new SecretTemplate();
    template.labels = Map.of(key, value);
    List<String> problems = new ArrayList<>();
    SecretMetadata metadata = SecretMetadata.resolve(template, problems);
    assertThat(metadata.labels().containsKey(key)).isEqualTo(kept);
    assertThat(problems.isEmpty()).isEqualTo(kept);
  }

  @ParameterizedTest(name = "annotation {0}: kept {1}")
  @CsvSource({
      "backup.example.com/exclude, true",
      "jwt.photoapp.io/next-key-id, false",
      "jwt.photoapp.io/phase, false",
      "'a/b/c', false",
      // Copied into other namespaces by Reflector, kubernetes-replicator or kubed: the key with it.
      "reflector.v1.k8s.emberstack.com/reflection-allowed, false",
      "reflector.v1.k8s.emberstack.com/reflection-auto-namespaces, false",
      "replicator.v1.mittwald.de/replicate-to, false",
      "kubed.appscode.com/sync, false",
      "notreflector.v1.k8s.emberstack.com/x, true",
  })
  void annotationsOutsideTheOperatorsPrefixAreKept(String key, boolean kept) {
    SecretTemplate template = new SecretTemplate();
    template.annotations = Map.of(key, "any value, with spaces: fine");
    List<String> problems = new ArrayList<>();
    assertThat(SecretMetadata.resolve(template, problems).annotations().containsKey(key)).isEqualTo(kept);
    assertThat(problems.isEmpty()).isEqualTo(kept);
  }

  @org.junit.jupiter.api.Test
  void noTemplateMeansNothingToAdd() {
    assertThat(SecretMetadata.resolve(null, new ArrayList<>())).isEqualTo(SecretMetadata.NONE);
  }
}
