package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.ClusterJwtSecretStore;
import io.photoapp.jwt.api.CrdSchemaValidator;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's push examples are objects the CRDs accept: every store is valid and every JwtSecret
 * names a store of the same example that admits it, for every provider.
 */
class PushDocsTest {
  @Test
  void everyPushExampleIsValid() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String section = readme.substring(readme.indexOf("\n## Push to external stores\n"), readme.indexOf("\n## Examples\n"));
    Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(section);
    CrdSchemaValidator jwtSecrets = CrdSchemaValidator.forJwtSecret();
    CrdSchemaValidator stores = CrdSchemaValidator.fromCrd(Path.of("crds", "jwtsecretstores.jwt.photoapp.io-v1.yml"), "v1alpha1");
    CrdSchemaValidator clusterStores = CrdSchemaValidator.fromCrd(
        Path.of("crds", "clusterjwtsecretstores.jwt.photoapp.io-v1.yml"), "v1alpha1");
    List<String> providers = new ArrayList<>();
    int jwtSecretCount = 0;
    while (m.find()) {
      StoreFixtures.Directory directory = new StoreFixtures.Directory();
      List<JwtSecret> users = new ArrayList<>();
      for (String doc : m.group(1).split("(?m)^---\n")) {
        if (doc.contains("\nkind: JwtSecretStore\n")) {
          assertThat(stores.validateYaml(doc)).as(doc).isEmpty();
          JwtSecretStore s = Serialization.unmarshal(doc, JwtSecretStore.class);
          s.getMetadata().setUid("uid-" + s.getMetadata().getName());
          assertThat(StoreCheck.check(s.getSpec(), false, false).problems()).as(doc).isEmpty();
          directory.with(s);
          providers.add(StoreCheck.check(s.getSpec(), false, false).provider().orElseThrow().name());
        } else if (doc.contains("\nkind: ClusterJwtSecretStore\n")) {
          assertThat(clusterStores.validateYaml(doc)).as(doc).isEmpty();
          ClusterJwtSecretStore s = Serialization.unmarshal(doc, ClusterJwtSecretStore.class);
          s.getMetadata().setUid("uid-" + s.getMetadata().getName());
          assertThat(StoreCheck.check(s.getSpec(), true, false).problems()).as(doc).isEmpty();
          directory.with(s);
          providers.add(StoreCheck.check(s.getSpec(), true, false).provider().orElseThrow().name());
          directory.labelled("photoapp", Map.of("kubernetes.io/metadata.name", "photoapp", "team", "photoapp"));
        } else if (doc.contains("\nkind: JwtSecret\n")) {
          assertThat(jwtSecrets.validateYaml(doc)).as(doc).isEmpty();
          users.add(Serialization.unmarshal(doc, JwtSecret.class));
        }
      }
      for (JwtSecret js : users) {
        jwtSecretCount++;
        assertThat(new StoreResolver(directory, false).resolve(js)).as(js.getMetadata().getName()).isNotEmpty()
            .allSatisfy(t -> assertThat(t.refusal()).as(t.id()).isEmpty());
      }
    }
    assertThat(providers).contains("VAULT", "AWS_SECRETS_MANAGER", "AZURE_KEY_VAULT");
    assertThat(jwtSecretCount).isPositive();
  }
}
