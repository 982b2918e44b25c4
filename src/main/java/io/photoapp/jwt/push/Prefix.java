package io.photoapp.jwt.push;

import io.photoapp.jwt.api.PushTarget;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The prefix of a store and the path a JwtSecret gives under it. The prefix comes from the store's
 * admin and may hold {@code {namespace}}; the path comes from the JwtSecret and may never leave the
 * prefix: segments of letters, digits, '.', '_' and '-' only, each starting with a letter or digit, so
 * no '..', no leading '/', nothing percent-encoded.
 */
public final class Prefix {
  public static final String NAMESPACE = "{namespace}";
  private static final Pattern PATH = Pattern.compile(PushTarget.PATH_PATTERN);
  private static final Pattern AZURE_PATH = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9-]*$");

  private Prefix() {}

  /** The prefix with {@code {namespace}} replaced by the JwtSecret's namespace. */
  public static String expand(String template, String namespace) {
    return template.strip().replace(NAMESPACE, namespace);
  }

  /** Whether any segment of a slash-separated value is '.' or '..'. */
  static boolean hasDotSegment(String value) {
    for (String segment : value.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** Why a path cannot be used, naming the rule; empty when it can. */
  public static Optional<String> pathProblem(String path, Provider provider) {
    if (path == null || path.isEmpty()) {
      return Optional.of("path is empty");
    }
    if (path.length() > PushTarget.PATH_MAX) {
      return Optional.of("path is longer than " + PushTarget.PATH_MAX + " characters");
    }
    if (path.startsWith("/")) {
      return Optional.of("path must be relative to the store's prefix (no leading /)");
    }
    if (path.contains("%")) {
      return Optional.of("path may not hold percent-encoded characters");
    }
    if (hasDotSegment(path)) {
      return Optional.of("path may not hold a '.' or '..' segment");
    }
    if (!PATH.matcher(path).matches()) {
      return Optional.of("path must be segments of letters, digits, '.', '_' and '-', each starting with a letter or digit");
    }
    if (provider == Provider.AZURE_KEY_VAULT && !AZURE_PATH.matcher(path).matches()) {
      return Optional.of("path of an Azure Key Vault store must be letters, digits and '-' (Key Vault secret names)");
    }
    return Optional.empty();
  }

  /**
   * Why a path cannot be used under a cluster store whose names namespaces must tell apart; empty when
   * it can. Vault and AWS join prefix and path with '/', which no namespace holds, so the expanded prefix,
   * and the namespace in it, ends where the prefix's own '/'s say. Key Vault joins with '-', which
   * namespaces hold: under {@code {namespace}}, namespace {@code team} with path {@code a-jwt} would
   * name namespace {@code team-a}'s secret for path {@code jwt}. So there a path holds no '-' and is not
   * {@code jwks}: then a name's last '-' part is the path (or {@code jwks}, and the path is the part
   * before), what precedes is the expanded prefix, and the namespace follows from the prefix, whose
   * text is fixed. Key Vault compares names regardless of case, and namespaces are lower case, so this
   * holds for any case too. A prefix without {@code {namespace}} is one that admitted namespaces share
   * (README, push to external stores); there is nothing to tell apart.
   */
  public static Optional<String> clusterPathProblem(Provider provider, String template, String path) {
    if (provider != Provider.AZURE_KEY_VAULT || !template.contains(NAMESPACE)) {
      return Optional.empty();
    }
    if (path.contains("-") || path.equalsIgnoreCase(Target.JWKS_SUFFIX.substring(1))) {
      return Optional.of("path of an Azure Key Vault ClusterJwtSecretStore whose namePrefix holds " + NAMESPACE
          + " may not hold '-' nor be 'jwks' (set spec.push[].path, which defaults to the JwtSecret's name):"
          + " Key Vault names join prefix and path with '-', which namespaces hold too, so namespace team with"
          + " path a-jwt would name the secret of namespace team-a with path jwt");
    }
    return Optional.empty();
  }

  /** Where the path lands under the expanded prefix, as the provider names it. */
  public static String location(Provider provider, String expandedPrefix, String path) {
    String prefix = expandedPrefix.replaceAll("/+$", "");
    return switch (provider) {
      case VAULT, AWS_SECRETS_MANAGER -> prefix + "/" + path;
      case AZURE_KEY_VAULT -> prefix + "-" + path;
    };
  }
}
