package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.JwtSecretSpec;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Targets from spec.push: their ids, and what the schema cannot refuse. */
class TargetTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "vault with defaults | {vault: {address: 'https://vault:8200/', path: photoapp/jwt, auth: {kubernetes: {role: r}}}} | vault:https://vault:8200/secret/photoapp/jwt | ",
      "vault with a namespace and mount | {vault: {address: 'https://vault:8200', namespace: team-a, mount: kv, path: jwt, auth: {tokenSecretRef: {name: t, key: token}}}} | vault:https://vault:8200/team-a/kv/jwt | ",
      "aws | {awsSecretsManager: {region: eu-west-1, secretId: photoapp/jwt}} | aws:eu-west-1/photoapp/jwt | ",
      "azure | {azureKeyVault: {vaultUrl: 'https://photoapp.vault.azure.net/', secretName: photoapp-jwt}} | azure:photoapp.vault.azure.net/photoapp-jwt | ",
      "no store | {} | spec.push[0] | spec.push[0] must give exactly one of vault, awsSecretsManager and azureKeyVault",
      "two stores | {awsSecretsManager: {region: r, secretId: s}, azureKeyVault: {vaultUrl: 'https://v', secretName: s}} | spec.push[0] | spec.push[0] must give exactly one of vault, awsSecretsManager and azureKeyVault",
      "vault with two auth methods | {vault: {address: 'https://v', path: p, auth: {kubernetes: {role: r}, tokenSecretRef: {name: t, key: k}}}} | vault:https://v/secret/p | spec.push[0].vault.auth must give exactly one of kubernetes and tokenSecretRef",
      "vault without auth | {vault: {address: 'https://v', path: p}} | vault:https://v/secret/p | spec.push[0].vault.auth must give exactly one of kubernetes and tokenSecretRef",
      "vault with two CA sources | {vault: {address: 'https://v', path: p, auth: {kubernetes: {role: r}}, caBundle: {pem: x, configMapRef: {name: c, key: k}}}} | vault:https://v/secret/p | spec.push[0].vault.caBundle must give exactly one of pem, secretRef and configMapRef",
      "aws without a region | {awsSecretsManager: {secretId: s}} | aws:null/s | spec.push[0].awsSecretsManager.region is required",
  })
  void target(String name, String yaml, String id, String invalid) {
    JwtSecretSpec spec = Serialization.unmarshal("environment: test\npush: [" + yaml + "]\n", JwtSecretSpec.class);
    Target t = Target.of(spec.push).get(0);
    assertThat(t.id()).isEqualTo(id);
    assertThat(t.invalid()).isEqualTo(Optional.ofNullable(invalid));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "aws | {awsSecretsManager: {region: r, secretId: photoapp/jwt}} | photoapp/jwt-jwks",
      "aws named | {awsSecretsManager: {region: r, secretId: photoapp/jwt, jwksSecretId: photoapp/keys}} | photoapp/keys",
      "azure | {azureKeyVault: {vaultUrl: 'https://v', secretName: photoapp-jwt}} | photoapp-jwt-jwks",
      "azure named | {azureKeyVault: {vaultUrl: 'https://v', secretName: photoapp-jwt, jwksSecretName: keys}} | keys",
  })
  void theJwkSetGoesNextToTheKeyUnlessNamed(String name, String yaml, String jwks) {
    JwtSecretSpec spec = Serialization.unmarshal("environment: test\npush: [" + yaml + "]\n", JwtSecretSpec.class);
    Target t = Target.of(spec.push).get(0);
    assertThat(t.spec().awsSecretsManager != null ? Target.awsJwksSecretId(t.spec().awsSecretsManager)
        : Target.azureJwksSecretName(t.spec().azureKeyVault)).isEqualTo(jwks);
  }

  @org.junit.jupiter.api.Test
  void aTargetListedTwiceIsOneTarget() {
    JwtSecretSpec spec = Serialization.unmarshal("environment: test\npush: [{awsSecretsManager: {region: r, secretId: s}},"
        + " {awsSecretsManager: {region: r, secretId: s, jwksSecretId: other}}]\n", JwtSecretSpec.class);
    assertThat(Target.of(spec.push)).hasSize(1);
    assertThat(Target.of(List.of())).isEmpty();
    assertThat(Target.of(null)).isEmpty();
  }
}
