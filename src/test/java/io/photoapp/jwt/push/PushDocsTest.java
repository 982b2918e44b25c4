package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.CrdSchemaValidator;
import io.photoapp.jwt.api.JwtSecret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's push examples are JwtSecrets the CRD accepts, each naming one usable store. */
class PushDocsTest {
  @Test
  void everyPushExampleIsValid() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String section = readme.substring(readme.indexOf("\n## Push to external stores\n"), readme.indexOf("\n## Examples\n"));
    Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(section);
    List<String> stores = new ArrayList<>();
    CrdSchemaValidator validator = CrdSchemaValidator.forJwtSecret();
    while (m.find()) {
      String yaml = m.group(1);
      if (!yaml.contains("kind: JwtSecret")) {
        continue;
      }
      assertThat(validator.validateYaml(yaml)).as(yaml).isEmpty();
      List<Target> targets = Target.of(Serialization.unmarshal(yaml, JwtSecret.class).getSpec().push);
      assertThat(targets).singleElement().satisfies(t -> assertThat(t.invalid()).isEmpty());
      stores.add(targets.get(0).kind().name());
    }
    assertThat(stores).containsExactly("VAULT", "AWS_SECRETS_MANAGER", "AZURE_KEY_VAULT");
  }
}
