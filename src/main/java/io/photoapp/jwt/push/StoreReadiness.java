package io.photoapp.jwt.push;

import io.photoapp.jwt.api.AwsSecretsManagerProvider;
import io.photoapp.jwt.api.AzureKeyVaultProvider;
import io.photoapp.jwt.api.SecretKeyRef;
import io.photoapp.jwt.api.StoreSpec;
import io.photoapp.jwt.api.VaultProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A store's Ready condition: {@code Valid}, {@code InvalidStore} (its spec cannot be used: the fields
 * are named) or {@code AuthUnavailable} (a credential it refers to is missing). Only the presence of a
 * credential is checked, never its value, and no value reaches the message.
 */
public final class StoreReadiness {
  public static final String VALID = "Valid";
  public static final String INVALID_STORE = "InvalidStore";
  public static final String AUTH_UNAVAILABLE = "AuthUnavailable";

  private StoreReadiness() {}

  /** The condition's status, reason and message, and the provider when the spec names exactly one. */
  public record Verdict(boolean ready, String reason, String message, Optional<Provider> provider) {}

  /** The Secrets (namespace, name, key) a store's identity reads, for the presence check. */
  public record CredentialRef(String namespace, String name, String key) {}

  public static Verdict judge(StoreSpec spec, boolean cluster, boolean allowInsecure, String storeNamespace,
      CredentialLookup lookup) {
    StoreCheck.Result check = StoreCheck.check(spec, cluster, allowInsecure);
    if (!check.valid()) {
      return new Verdict(false, INVALID_STORE, check.message(), check.provider());
    }
    Provider provider = check.provider().orElseThrow();
    List<String> missing = new ArrayList<>();
    for (CredentialRef ref : credentialRefs(spec, cluster, storeNamespace)) {
      if (!lookup.present(ref)) {
        missing.add("Secret " + ref.namespace() + "/" + ref.name() + " has no key " + ref.key());
      }
    }
    if (operatorToken(spec) && !lookup.operatorTokenPresent()) {
      missing.add("the operator's own ServiceAccount token is not mounted");
    }
    if (!missing.isEmpty()) {
      return new Verdict(false, AUTH_UNAVAILABLE, String.join("; ", missing), check.provider());
    }
    return new Verdict(true, VALID, provider.display() + " store: writes go under " + prefix(spec, provider)
        + (cluster && !prefix(spec, provider).contains(Prefix.NAMESPACE)
            ? " (no {namespace} in the prefix: every admitted namespace shares it)" : ""), check.provider());
  }

  /** Looks credentials up without returning them. */
  public interface CredentialLookup {
    boolean present(CredentialRef ref);

    boolean operatorTokenPresent();
  }

  static String prefix(StoreSpec spec, Provider provider) {
    return switch (provider) {
      case VAULT -> spec.vault.pathPrefix;
      case AWS_SECRETS_MANAGER -> spec.awsSecretsManager.namePrefix;
      case AZURE_KEY_VAULT -> spec.azureKeyVault.namePrefix;
    };
  }

  static List<CredentialRef> credentialRefs(StoreSpec spec, boolean cluster, String storeNamespace) {
    List<SecretKeyRef> refs = new ArrayList<>();
    if (spec.vault != null && spec.vault.auth != null && spec.vault.auth.tokenSecretRef != null) {
      refs.add(spec.vault.auth.tokenSecretRef);
    }
    AwsSecretsManagerProvider a = spec.awsSecretsManager;
    if (a != null && a.auth != null && a.auth.secretRef != null) {
      refs.add(a.auth.secretRef.accessKeyIdSecretRef);
      refs.add(a.auth.secretRef.secretAccessKeySecretRef);
    }
    AzureKeyVaultProvider z = spec.azureKeyVault;
    if (z != null && z.auth != null && z.auth.clientSecret != null) {
      refs.add(z.auth.clientSecret.secretRef);
    }
    return refs.stream().map(r -> new CredentialRef(cluster ? r.namespace : storeNamespace, r.name, r.key)).toList();
  }

  private static boolean operatorToken(StoreSpec spec) {
    VaultProvider v = spec.vault;
    return v != null && v.auth != null && v.auth.kubernetes != null && v.auth.kubernetes.serviceAccountRef == null;
  }
}
