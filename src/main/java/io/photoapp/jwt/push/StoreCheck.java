package io.photoapp.jwt.push;

import io.photoapp.jwt.api.AwsSecretsManagerProvider;
import io.photoapp.jwt.api.AzureKeyVaultProvider;
import io.photoapp.jwt.api.CaBundle;
import io.photoapp.jwt.api.ClusterStoreSpec;
import io.photoapp.jwt.api.KeyReference;
import io.photoapp.jwt.api.OperatorIdentity;
import io.photoapp.jwt.api.SecretKeyRef;
import io.photoapp.jwt.api.ServiceAccountRef;
import io.photoapp.jwt.api.StoreCondition;
import io.photoapp.jwt.api.StoreSpec;
import io.photoapp.jwt.api.VaultProvider;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether a store's spec can be used, checked without the cluster: exactly one provider, https (plain
 * http only with {@code --allow-insecure-stores}), a prefix, exactly one identity, the operator's own
 * identity only in a cluster store, and the references a cluster store must place in a namespace.
 * Each problem names its field, never a value that could be a credential. Run on the schema-less
 * cluster too, so every rule the schema states is stated again here.
 */
public final class StoreCheck {
  /** Audiences a minted token may never carry: the API server's own, which would make it a cluster credential. */
  private static final Pattern API_SERVER_AUDIENCE = Pattern.compile(
      "^(https?://)?(kubernetes(\\.default(\\.svc(\\.cluster\\.local)?)?)?|api|kube-apiserver)(:443)?/?$");
  private static final Pattern URL = Pattern.compile(VaultProvider.URL_PATTERN);
  private static final Pattern SEGMENTS = Pattern.compile(VaultProvider.SEGMENTS_PATTERN);
  private static final Pattern NAME = Pattern.compile(io.photoapp.jwt.api.SecretSpec.NAME_PATTERN);
  private static final Pattern DATA_KEY = Pattern.compile(io.photoapp.jwt.api.SecretSpec.DATA_KEY_PATTERN);

  private StoreCheck() {}

  /** An object name as the schema takes it (at most 253 characters): it goes into the API server's URL path as given. */
  static boolean isObjectName(String name) {
    return name.length() <= 253 && NAME.matcher(name).matches();
  }

  /** The result: the provider (when exactly one is given) and the problems. */
  public record Result(Optional<Provider> provider, List<String> problems) {
    public boolean valid() {
      return problems.isEmpty();
    }

    public String message() {
      return String.join("; ", problems);
    }
  }

  public static Result check(StoreSpec spec, boolean cluster, boolean allowInsecure) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec must give exactly one of vault, awsSecretsManager and azureKeyVault");
      return new Result(Optional.empty(), problems);
    }
    if (spec.unreadable != null) {
      problems.add(spec.unreadable + " has the wrong type");
      return new Result(Optional.empty(), problems);
    }
    int given = (spec.vault != null ? 1 : 0) + (spec.awsSecretsManager != null ? 1 : 0) + (spec.azureKeyVault != null ? 1 : 0);
    if (given != 1) {
      problems.add("spec must give exactly one of vault, awsSecretsManager and azureKeyVault (it gives " + given + ")");
      return new Result(Optional.empty(), problems);
    }
    Checker c = new Checker(problems, cluster, allowInsecure);
    Provider provider;
    if (spec.vault != null) {
      provider = Provider.VAULT;
      c.vault(spec.vault);
    } else if (spec.awsSecretsManager != null) {
      provider = Provider.AWS_SECRETS_MANAGER;
      c.aws(spec.awsSecretsManager);
    } else {
      provider = Provider.AZURE_KEY_VAULT;
      c.azure(spec.azureKeyVault);
    }
    if (cluster && spec instanceof ClusterStoreSpec cs && cs.conditions != null) {
      for (int i = 0; i < cs.conditions.size(); i++) {
        StoreCondition cond = cs.conditions.get(i);
        int index = i;
        if (cond == null || (cond.namespaces == null && cond.namespaceSelector == null)) {
          problems.add("spec.conditions[" + i + "] must give namespaces or namespaceSelector");
        } else if (cond.namespaceSelector != null) {
          NamespaceMatch.selectorProblem(cond.namespaceSelector)
              .ifPresent(p -> problems.add("spec.conditions[" + index + "].namespaceSelector: " + p));
        }
      }
    }
    return new Result(Optional.of(provider), List.copyOf(problems));
  }

  /** Whether the store's settings let the operator use its own identity for it. */
  public static boolean usesOperatorIdentity(Boolean flag, OperatorIdentity operator) {
    return Boolean.TRUE.equals(flag) || operator != null;
  }

  private static final class Checker {
    private final List<String> problems;
    private final boolean cluster;
    private final boolean allowInsecure;

    Checker(List<String> problems, boolean cluster, boolean allowInsecure) {
      this.problems = problems;
      this.cluster = cluster;
      this.allowInsecure = allowInsecure;
    }

    void vault(VaultProvider v) {
      String at = "spec.vault";
      url(at + ".address", v.address, true);
      segments(at + ".namespace", v.namespace, false);
      segments(at + ".mount", v.mount, false);
      prefix(at + ".pathPrefix", v.pathPrefix, VaultProvider.PREFIX_PATTERN);
      caBundle(at + ".caBundle", v.caBundle);
      if (v.auth == null) {
        problems.add(at + ".auth is required: exactly one of kubernetes and tokenSecretRef");
        return;
      }
      int methods = (v.auth.kubernetes != null ? 1 : 0) + (v.auth.tokenSecretRef != null ? 1 : 0);
      if (methods != 1) {
        problems.add(at + ".auth must give exactly one of kubernetes and tokenSecretRef");
        return;
      }
      if (v.auth.tokenSecretRef != null) {
        secretRef(at + ".auth.tokenSecretRef", v.auth.tokenSecretRef);
        return;
      }
      VaultProvider.VaultKubernetesAuth k = v.auth.kubernetes;
      if (blank(k.role)) {
        problems.add(at + ".auth.kubernetes.role is required");
      }
      segments(at + ".auth.kubernetes.mountPath", k.mountPath, false);
      identity(at + ".auth.kubernetes", k.serviceAccountRef, usesOperatorIdentity(k.operatorIdentity, k.operator));
    }

    void aws(AwsSecretsManagerProvider a) {
      String at = "spec.awsSecretsManager";
      if (blank(a.region) || !a.region.matches("^[a-z0-9-]{1,32}$")) {
        problems.add(at + ".region is required: an AWS region such as eu-west-1");
      }
      url(at + ".endpoint", a.endpoint, false);
      url(at + ".stsEndpoint", a.stsEndpoint, false);
      prefix(at + ".namePrefix", a.namePrefix, AwsSecretsManagerProvider.PREFIX_PATTERN);
      if (a.auth == null || (a.auth.jwt != null ? 1 : 0) + (a.auth.secretRef != null ? 1 : 0) != 1) {
        problems.add(at + ".auth must give exactly one of jwt and secretRef");
        return;
      }
      if (a.auth.secretRef != null) {
        if (a.auth.secretRef.accessKeyIdSecretRef == null || a.auth.secretRef.secretAccessKeySecretRef == null) {
          problems.add(at + ".auth.secretRef needs accessKeyIdSecretRef and secretAccessKeySecretRef");
          return;
        }
        secretRef(at + ".auth.secretRef.accessKeyIdSecretRef", a.auth.secretRef.accessKeyIdSecretRef);
        secretRef(at + ".auth.secretRef.secretAccessKeySecretRef", a.auth.secretRef.secretAccessKeySecretRef);
        return;
      }
      AwsSecretsManagerProvider.AwsJwtAuth j = a.auth.jwt;
      boolean own = usesOperatorIdentity(j.operatorIdentity, j.operator);
      identity(at + ".auth.jwt", j.serviceAccountRef, own);
      if (j.serviceAccountRef != null && blank(j.roleArn)) {
        problems.add(at + ".auth.jwt.roleArn is required with serviceAccountRef");
      }
    }

    void azure(AzureKeyVaultProvider z) {
      String at = "spec.azureKeyVault";
      url(at + ".vaultUrl", z.vaultUrl, true);
      prefix(at + ".namePrefix", z.namePrefix, AzureKeyVaultProvider.PREFIX_PATTERN);
      if (z.auth == null || (z.auth.workloadIdentity != null ? 1 : 0) + (z.auth.clientSecret != null ? 1 : 0) != 1) {
        problems.add(at + ".auth must give exactly one of workloadIdentity and clientSecret");
        return;
      }
      if (z.auth.clientSecret != null) {
        AzureKeyVaultProvider.AzureClientSecret s = z.auth.clientSecret;
        if (blank(s.clientId) || blank(s.tenantId) || s.secretRef == null) {
          problems.add(at + ".auth.clientSecret needs clientId, tenantId and secretRef");
          return;
        }
        secretRef(at + ".auth.clientSecret.secretRef", s.secretRef);
        return;
      }
      AzureKeyVaultProvider.AzureWorkloadIdentity w = z.auth.workloadIdentity;
      identity(at + ".auth.workloadIdentity", w.serviceAccountRef, usesOperatorIdentity(w.operatorIdentity, w.operator));
      if (w.serviceAccountRef != null && (blank(w.clientId) || blank(w.tenantId))) {
        problems.add(at + ".auth.workloadIdentity needs clientId and tenantId with serviceAccountRef");
      }
    }

    private void identity(String at, ServiceAccountRef sa, boolean own) {
      if ((sa != null ? 1 : 0) + (own ? 1 : 0) != 1) {
        problems.add(at + " must give exactly one of serviceAccountRef and operatorIdentity");
        return;
      }
      if (own) {
        if (!cluster) {
          problems.add(at + ".operatorIdentity is allowed only in a ClusterJwtSecretStore: a namespace's store never uses the operator's own identity");
        }
        return;
      }
      if (blank(sa.name)) {
        problems.add(at + ".serviceAccountRef.name is required");
      } else {
        objectName(at + ".serviceAccountRef.name", sa.name);
      }
      if (!cluster && !blank(sa.namespace)) {
        problems.add(at + ".serviceAccountRef.namespace is for a ClusterJwtSecretStore only: a JwtSecretStore uses its own namespace's ServiceAccounts");
      }
      if (sa.audiences != null && sa.audiences.size() > 8) {
        // The schema's maxItems, stated again for a cluster without it: each is checked against the API's own.
        problems.add(at + ".serviceAccountRef.audiences has more than 8 entries");
      } else if (sa.audiences != null) {
        for (String audience : sa.audiences) {
          if (blank(audience) || audience.length() > 253
              || API_SERVER_AUDIENCE.matcher(audience.strip().toLowerCase(Locale.ROOT)).matches()) {
            problems.add(at + ".serviceAccountRef.audiences may not be empty, longer than 253 characters or the API server's own audience");
            break;
          }
        }
      }
    }

    private void secretRef(String at, SecretKeyRef ref) {
      if (blank(ref.name) || blank(ref.key)) {
        problems.add(at + " needs name and key");
      } else {
        reference(at, ref.name, ref.key);
      }
      placed(at, ref.namespace);
    }

    /**
     * A name and key the schema would take: they go into the API server's URL path as given (a '/', '..'
     * or '?' would change what is asked for), with the operator's own rights. Never quoted.
     */
    private void reference(String at, String name, String key) {
      objectName(at + ".name", name);
      if (key.length() > 253 || !DATA_KEY.matcher(key).matches()) {
        problems.add(at + ".key must be a data key: letters, digits, '-', '_' and '.'");
      }
    }

    private void objectName(String at, String name) {
      if (!isObjectName(name)) {
        problems.add(at + " must be an object name: lower-case letters, digits, '-' and '.'");
      }
    }

    private void placed(String at, String namespace) {
      if (cluster && blank(namespace)) {
        problems.add(at + ".namespace is required in a ClusterJwtSecretStore");
      } else if (cluster && (namespace.length() > 63 || !NAME.matcher(namespace).matches())) {
        problems.add(at + ".namespace must be a namespace name");
      } else if (!cluster && !blank(namespace)) {
        problems.add(at + ".namespace is for a ClusterJwtSecretStore only: a JwtSecretStore reads its own namespace");
      }
    }

    private void caBundle(String at, CaBundle ca) {
      if (ca == null) {
        return;
      }
      int sources = (ca.pem != null ? 1 : 0) + (ca.secretRef != null ? 1 : 0) + (ca.configMapRef != null ? 1 : 0);
      if (sources != 1) {
        problems.add(at + " must give exactly one of pem, secretRef and configMapRef");
        return;
      }
      KeyReference ref = ca.secretRef != null ? ca.secretRef : ca.configMapRef;
      if (ref != null) {
        String where = at + (ca.secretRef != null ? ".secretRef" : ".configMapRef");
        if (blank(ref.name) || blank(ref.key)) {
          problems.add(where + " needs name and key");
        } else {
          reference(where, ref.name, ref.key);
        }
        placed(where, ref.namespace);
      }
    }

    private void url(String at, String value, boolean required) {
      if (blank(value)) {
        if (required) {
          problems.add(at + " is required");
        }
        return;
      }
      URI uri;
      try {
        uri = URI.create(value.strip());
      } catch (IllegalArgumentException e) {
        problems.add(at + " must be an https URL");
        return;
      }
      if (!URL.matcher(value.strip()).matches() || uri.getHost() == null || uri.getUserInfo() != null
          || uri.getQuery() != null || uri.getFragment() != null) {
        problems.add(at + " must be an https URL (scheme, host, optional port and path)");
      } else if ("http".equalsIgnoreCase(uri.getScheme()) && !allowInsecure) {
        problems.add(at + " must use https: plain http is refused unless the operator runs with --allow-insecure-stores");
      }
    }

    private void segments(String at, String value, boolean required) {
      if (blank(value)) {
        if (required) {
          problems.add(at + " is required");
        }
        return;
      }
      if (!SEGMENTS.matcher(value).matches() || value.length() > 200) {
        problems.add(at + " must be path segments of letters, digits, '.', '_' and '-'");
      }
    }

    private void prefix(String at, String value, String pattern) {
      if (blank(value)) {
        problems.add(at + " is required: every write of the store stays under it");
        return;
      }
      if (value.length() > 200 || !value.matches(pattern) || Prefix.hasDotSegment(value)) {
        problems.add(at + " must be segments of the store's name characters and {namespace} (the only placeholder),"
            + " with no '.' or '..' segment");
      }
    }

    private static boolean blank(String s) {
      return s == null || s.isBlank();
    }
  }
}
