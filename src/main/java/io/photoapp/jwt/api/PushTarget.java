package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * One entry of {@code spec.push}: a store an admin defined, and a path under that store's prefix.
 * A JwtSecret never names an address, a credential or a file: those live in the store.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public class PushTarget {
  /** Path segments of letters, digits, dot, dash and underscore; each starts with a letter or digit. */
  public static final String PATH_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$";
  public static final int PATH_MAX = 200;
  /** A Kubernetes duration such as 90s, 10m or 1h30m. */
  public static final String DURATION_PATTERN = "^([0-9]+(\\.[0-9]+)?(ns|us|ms|s|m|h))+$";

  @Required
  @JsonPropertyDescription("The store: a JwtSecretStore in this JwtSecret's namespace, or a ClusterJwtSecretStore that admits the namespace.")
  public StoreRef storeRef;

  @Pattern(PATH_PATTERN)
  @Size(max = PATH_MAX)
  @JsonPropertyDescription("Where the key set goes, relative to the store's prefix (no leading /, no .. segment). Default: the JwtSecret's name. Azure Key Vault: letters, digits and -; no - and not jwks under a ClusterJwtSecretStore whose namePrefix holds {namespace}.")
  public String path;

  @JsonPropertyDescription("Rebuild from this store: when the JwtSecret has no Secret and no key yet, read the key set back from here instead of generating a key. At most one entry; Vault, AWS Secrets Manager and Azure Key Vault stores.")
  public Boolean restore;

  @Pattern(DURATION_PATTERN)
  @Size(max = 32)
  @JsonPropertyDescription("With restore: how long to wait for an unreachable store (RestorePending) before a fresh key is generated, from the JwtSecret's creation. Default 10m.")
  public String restoreTimeout;

  @Pattern(DURATION_PATTERN)
  @Size(max = 32)
  @JsonPropertyDescription("How often the store's content is read back and compared with the key set (drift is rewritten, reason DriftRepaired; an AWS secret at most once per 10m). At least 10m; default 1h.")
  public String resyncInterval;

  public PushTarget() {}

  public PushTarget(StoreRef storeRef, String path) {
    this.storeRef = storeRef;
    this.path = path;
  }
}
