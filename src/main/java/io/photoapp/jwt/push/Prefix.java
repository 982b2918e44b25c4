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

  /** Where the path lands under the expanded prefix, as the provider names it. */
  public static String location(Provider provider, String expandedPrefix, String path) {
    String prefix = expandedPrefix.replaceAll("/+$", "");
    return switch (provider) {
      case VAULT, AWS_SECRETS_MANAGER -> prefix + "/" + path;
      case AZURE_KEY_VAULT -> prefix + "-" + path;
    };
  }
}
