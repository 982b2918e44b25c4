package io.photoapp.jwt.push;

import io.photoapp.jwt.api.AwsSecretsManagerPush;
import io.photoapp.jwt.api.AzureKeyVaultPush;
import io.photoapp.jwt.api.CaBundle;
import io.photoapp.jwt.api.KeyReference;
import io.photoapp.jwt.api.PushTarget;
import io.photoapp.jwt.api.VaultAuth;
import io.photoapp.jwt.api.VaultPush;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One entry of {@code spec.push}, resolved: its id (in status, conditions, events and the
 * {@code target} label of metrics), its store, and what is wrong with it if it cannot be used.
 */
public record Target(String id, Kind kind, PushTarget spec, Optional<String> invalid) {
  public static final String DEFAULT_VAULT_MOUNT = "secret";
  public static final String JWKS_SUFFIX = "-jwks";

  /** The kinds of store. */
  public enum Kind { VAULT, AWS_SECRETS_MANAGER, AZURE_KEY_VAULT, NONE }

  /** Resolves the entries of spec.push, in order; an entry repeated under the same id is kept once. */
  public static List<Target> of(List<PushTarget> entries) {
    List<Target> targets = new ArrayList<>();
    if (entries == null) {
      return targets;
    }
    for (int i = 0; i < entries.size(); i++) {
      Target t = of(entries.get(i), i);
      if (targets.stream().noneMatch(x -> x.id().equals(t.id()))) {
        targets.add(t);
      }
    }
    return targets;
  }

  static Target of(PushTarget t, int index) {
    String position = "spec.push[" + index + "]";
    if (t == null) {
      return new Target(position, Kind.NONE, null, Optional.of(position + " is empty"));
    }
    int stores = (t.vault != null ? 1 : 0) + (t.awsSecretsManager != null ? 1 : 0) + (t.azureKeyVault != null ? 1 : 0);
    if (stores != 1) {
      return new Target(position, Kind.NONE, t, Optional.of(position
          + " must give exactly one of vault, awsSecretsManager and azureKeyVault"));
    }
    if (t.vault != null) {
      VaultPush v = t.vault;
      String id = "vault:" + trimSlash(v.address) + "/" + (v.namespace == null ? "" : v.namespace + "/")
          + vaultMount(v) + "/" + v.path;
      return new Target(id, Kind.VAULT, t, vaultProblem(v, position + ".vault"));
    }
    if (t.awsSecretsManager != null) {
      AwsSecretsManagerPush a = t.awsSecretsManager;
      String id = "aws:" + a.region + "/" + a.secretId;
      return new Target(id, Kind.AWS_SECRETS_MANAGER, t, missing(position + ".awsSecretsManager",
          "region", a.region, "secretId", a.secretId).or(() -> url(position + ".awsSecretsManager.endpoint", a.endpoint)));
    }
    AzureKeyVaultPush z = t.azureKeyVault;
    String id = "azure:" + host(z.vaultUrl) + "/" + z.secretName;
    return new Target(id, Kind.AZURE_KEY_VAULT, t, missing(position + ".azureKeyVault",
        "vaultUrl", z.vaultUrl, "secretName", z.secretName).or(() -> url(position + ".azureKeyVault.vaultUrl", z.vaultUrl)));
  }

  public static String vaultMount(VaultPush v) {
    return v.mount == null || v.mount.isBlank() ? DEFAULT_VAULT_MOUNT : v.mount;
  }

  public static String awsJwksSecretId(AwsSecretsManagerPush a) {
    return a.jwksSecretId == null || a.jwksSecretId.isBlank() ? a.secretId + JWKS_SUFFIX : a.jwksSecretId;
  }

  public static String azureJwksSecretName(AzureKeyVaultPush z) {
    return z.jwksSecretName == null || z.jwksSecretName.isBlank() ? z.secretName + JWKS_SUFFIX : z.jwksSecretName;
  }

  private static Optional<String> vaultProblem(VaultPush v, String at) {
    Optional<String> missing = missing(at, "address", v.address, "path", v.path).or(() -> url(at + ".address", v.address));
    if (missing.isPresent()) {
      return missing;
    }
    VaultAuth auth = v.auth;
    int methods = auth == null ? 0 : (auth.kubernetes != null ? 1 : 0) + (auth.tokenSecretRef != null ? 1 : 0);
    if (methods != 1) {
      return Optional.of(at + ".auth must give exactly one of kubernetes and tokenSecretRef");
    }
    if (auth.kubernetes != null && (auth.kubernetes.role == null || auth.kubernetes.role.isBlank())) {
      return Optional.of(at + ".auth.kubernetes.role is required");
    }
    if (auth.tokenSecretRef != null && incomplete(auth.tokenSecretRef)) {
      return Optional.of(at + ".auth.tokenSecretRef needs name and key");
    }
    CaBundle ca = v.caBundle;
    if (ca != null) {
      int sources = (ca.pem != null ? 1 : 0) + (ca.secretRef != null ? 1 : 0) + (ca.configMapRef != null ? 1 : 0);
      if (sources != 1) {
        return Optional.of(at + ".caBundle must give exactly one of pem, secretRef and configMapRef");
      }
      if ((ca.secretRef != null && incomplete(ca.secretRef)) || (ca.configMapRef != null && incomplete(ca.configMapRef))) {
        return Optional.of(at + ".caBundle reference needs name and key");
      }
    }
    return Optional.empty();
  }

  private static boolean incomplete(KeyReference ref) {
    return ref.name == null || ref.name.isBlank() || ref.key == null || ref.key.isBlank();
  }

  private static Optional<String> missing(String at, String name1, String value1, String name2, String value2) {
    if (value1 == null || value1.isBlank()) {
      return Optional.of(at + "." + name1 + " is required");
    }
    if (value2 == null || value2.isBlank()) {
      return Optional.of(at + "." + name2 + " is required");
    }
    return Optional.empty();
  }

  private static Optional<String> url(String at, String value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      URI uri = URI.create(value);
      if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return Optional.of(at + " must be an http or https URL");
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(at + " must be an http or https URL");
    }
  }

  private static String trimSlash(String s) {
    String t = s == null ? "" : s.strip();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  private static String host(String url) {
    try {
      URI uri = URI.create(url == null ? "" : url.strip());
      return uri.getHost() == null ? trimSlash(url) : uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return trimSlash(url);
    }
  }
}
