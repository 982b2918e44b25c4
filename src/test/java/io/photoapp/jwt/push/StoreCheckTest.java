package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.photoapp.jwt.api.ClusterStoreSpec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What makes a store's spec unusable, stated again for clusters whose CRD has no schema. */
class StoreCheckTest {
  static final String SA = "{kubernetes: {role: r, serviceAccountRef: {name: pusher}}}";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a valid namespaced Vault | false | false | {vault: {address: 'https://v:8200', pathPrefix: 'a/{namespace}', auth: " + SA + "}} | ",
      "no provider | false | false | {} | spec must give exactly one of vault, awsSecretsManager and azureKeyVault (it gives 0)",
      "two providers | true | false | {vault: {address: 'https://v', pathPrefix: p, auth: " + SA + "}, azureKeyVault: {vaultUrl: 'https://k', namePrefix: p, auth: {workloadIdentity: {operatorIdentity: true}}}} | spec must give exactly one of vault, awsSecretsManager and azureKeyVault (it gives 2)",
      "plain http | false | false | {vault: {address: 'http://v:8200', pathPrefix: p, auth: " + SA + "}} | spec.vault.address must use https: plain http is refused unless the operator runs with --allow-insecure-stores",
      "plain http allowed | false | true | {vault: {address: 'http://v:8200', pathPrefix: p, auth: " + SA + "}} | ",
      "credentials in the URL | false | false | {vault: {address: 'https://user:pw@v:8200', pathPrefix: p, auth: " + SA + "}} | spec.vault.address must be an https URL (scheme, host, optional port and path)",
      "no prefix | false | false | {vault: {address: 'https://v', auth: " + SA + "}} | spec.vault.pathPrefix is required: every write of the store stays under it",
      "a dot-dot prefix | false | false | {vault: {address: 'https://v', pathPrefix: 'a/../b', auth: " + SA + "}} | spec.vault.pathPrefix must be segments of the store's name characters and {namespace} (the only placeholder), with no '.' or '..' segment",
      "operator identity in a namespaced store | false | false | {vault: {address: 'https://v', pathPrefix: p, auth: {kubernetes: {role: r, operatorIdentity: true}}}} | spec.vault.auth.kubernetes.operatorIdentity is allowed only in a ClusterJwtSecretStore: a namespace's store never uses the operator's own identity",
      "operator: {} in a namespaced store | false | false | {awsSecretsManager: {region: eu-west-1, namePrefix: p, auth: {jwt: {operator: {}}}}} | spec.awsSecretsManager.auth.jwt.operatorIdentity is allowed only in a ClusterJwtSecretStore: a namespace's store never uses the operator's own identity",
      "operator identity in a cluster store | true | false | {vault: {address: 'https://v', pathPrefix: p, auth: {kubernetes: {role: r, operatorIdentity: true}}}} | ",
      "the API server's audience | false | false | {vault: {address: 'https://v', pathPrefix: p, auth: {kubernetes: {role: r, serviceAccountRef: {name: s, audiences: ['https://kubernetes.default.svc']}}}}} | spec.vault.auth.kubernetes.serviceAccountRef.audiences may not be empty, longer than 253 characters or the API server's own audience",
      "nine audiences (no schema) | false | false | {vault: {address: 'https://v', pathPrefix: p, auth: {kubernetes: {role: r, serviceAccountRef: {name: s, audiences: [a, b, c, d, e, f, g, h, i]}}}}} | spec.vault.auth.kubernetes.serviceAccountRef.audiences has more than 8 entries",
      "a namespace for a namespaced store's ServiceAccount | false | false | {vault: {address: 'https://v', pathPrefix: p, auth: {kubernetes: {role: r, serviceAccountRef: {name: s, namespace: kube-system}}}}} | spec.vault.auth.kubernetes.serviceAccountRef.namespace is for a ClusterJwtSecretStore only: a JwtSecretStore uses its own namespace's ServiceAccounts",
      "a namespace for a namespaced store's Secret | false | false | {vault: {address: 'https://v', pathPrefix: p, auth: {tokenSecretRef: {name: t, key: k, namespace: other}}}} | spec.vault.auth.tokenSecretRef.namespace is for a ClusterJwtSecretStore only: a JwtSecretStore reads its own namespace",
      "a cluster store's Secret needs a namespace | true | false | {vault: {address: 'https://v', pathPrefix: p, auth: {tokenSecretRef: {name: t, key: k}}}} | spec.vault.auth.tokenSecretRef.namespace is required in a ClusterJwtSecretStore",
      "web identity needs a role | false | false | {awsSecretsManager: {region: eu-west-1, namePrefix: p, auth: {jwt: {serviceAccountRef: {name: s}}}}} | spec.awsSecretsManager.auth.jwt.roleArn is required with serviceAccountRef",
      "two identities | false | false | {azureKeyVault: {vaultUrl: 'https://k', namePrefix: p, auth: {workloadIdentity: {operatorIdentity: true, serviceAccountRef: {name: s}}}}} | spec.azureKeyVault.auth.workloadIdentity must give exactly one of serviceAccountRef and operatorIdentity",
      "a Secret name that climbs (no schema) | false | false | {vault: {address: 'https://v', pathPrefix: p, auth: {tokenSecretRef: {name: '../../kube-system/secrets/vault-root', key: token}}}} | spec.vault.auth.tokenSecretRef.name must be an object name: lower-case letters, digits, '-' and '.'",
      "a Secret key with a slash (no schema) | false | false | {awsSecretsManager: {region: eu-west-1, namePrefix: p, auth: {secretRef: {accessKeyIdSecretRef: {name: a, key: 'id/x'}, secretAccessKeySecretRef: {name: a, key: k}}}}} | spec.awsSecretsManager.auth.secretRef.accessKeyIdSecretRef.key must be a data key: letters, digits, '-', '_' and '.'",
      "a ServiceAccount name with a query (no schema) | false | false | {vault: {address: 'https://v', pathPrefix: p, auth: {kubernetes: {role: r, serviceAccountRef: {name: 'pusher/token?x=1'}}}}} | spec.vault.auth.kubernetes.serviceAccountRef.name must be an object name: lower-case letters, digits, '-' and '.'",
      "a CA ConfigMap name that climbs (no schema) | false | false | {vault: {address: 'https://v', pathPrefix: p, caBundle: {configMapRef: {name: '../../kube-system/configmaps/x', key: ca.crt}}, auth: " + SA + "}} | spec.vault.caBundle.configMapRef.name must be an object name: lower-case letters, digits, '-' and '.'",
      "a selector that cannot be evaluated | true | false | {vault: {address: 'https://v', pathPrefix: p, auth: " + SA + "}, conditions: [{namespaceSelector: {matchExpressions: [{key: team, operator: Like}]}}]} | spec.conditions[0].namespaceSelector: operator must be In, NotIn, Exists or DoesNotExist",
  })
  void check(String name, boolean cluster, boolean allowInsecure, String specYaml, String problem) {
    ClusterStoreSpec spec = Serialization.unmarshal("spec: " + specYaml + "\n", Holder.class).spec;
    StoreCheck.Result result = StoreCheck.check(spec, cluster, allowInsecure);
    if (problem == null) {
      assertThat(result.problems()).isEmpty();
    } else {
      assertThat(result.problems()).contains(problem);
    }
  }

  /** A document holding a spec, so that flow-style YAML is read as YAML. */
  public static class Holder {
    public ClusterStoreSpec spec;
  }
}
