package io.photoapp.jwt.spec;

import io.photoapp.jwt.api.SecretTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The labels and annotations of spec.secret.template that the Secret may carry: valid Kubernetes
 * keys and values, none under the operator's own prefix (the Secret's annotations tell a restarted
 * operator where a rotation stands, and its ownership; a namespace user must not be able to write them),
 * and none under a tool's prefix that copies a Secret into other namespaces ({@link #COPYING_DOMAINS}).
 */
public record SecretMetadata(Map<String, String> labels, Map<String, String> annotations) {
  public static final SecretMetadata NONE = new SecretMetadata(Map.of(), Map.of());
  /** The operator's own prefix, as in jwt.photoapp.io/managed, and any subdomain of it. */
  static final String RESERVED_DOMAIN = "jwt.photoapp.io";
  /**
   * The annotation prefixes of the tools that copy a Secret into other namespaces (Reflector,
   * kubernetes-replicator, kubed's config syncer): a user who may only create JwtSecrets in one namespace
   * would have the operator's Secret, and its key, copied where they can read it.
   */
  static final List<String> COPYING_DOMAINS = List.of("reflector.v1.k8s.emberstack.com", "replicator.v1.mittwald.de",
      "kubed.appscode.com");
  /** Far below the API server's 256 KiB for all annotations, which the operator's own need room in. */
  static final int MAX_ANNOTATION_BYTES = 64 * 1024;
  private static final Pattern NAME = Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
  private static final Pattern PREFIX = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");

  /** The entries of {@code template} the Secret may carry; a problem for each one left out. */
  public static SecretMetadata resolve(SecretTemplate template, List<String> problems) {
    if (template == null) {
      return NONE;
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.labels != null) {
      template.labels.forEach((key, value) -> {
        String where = "spec.secret.template.labels[" + SpecResolver.quote(String.valueOf(key)) + "]";
        if (keyAllowed(key, where, problems)) {
          if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
            problems.add(where + ": the value is not a valid label value (at most 63 letters, digits, '-', '_' or '.')");
          } else {
            labels.put(key, value);
          }
        }
      });
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (template.annotations != null) {
      long bytes = 0;
      for (Map.Entry<String, String> e : template.annotations.entrySet()) {
        String where = "spec.secret.template.annotations[" + SpecResolver.quote(String.valueOf(e.getKey())) + "]";
        if (keyAllowed(e.getKey(), where, problems)) {
          String value = e.getValue() == null ? "" : e.getValue();
          bytes += e.getKey().length() + value.length();
          if (bytes > MAX_ANNOTATION_BYTES) {
            problems.add("spec.secret.template.annotations are larger than " + MAX_ANNOTATION_BYTES + " bytes");
            break;
          }
          annotations.put(e.getKey(), value);
        }
      }
    }
    return new SecretMetadata(Map.copyOf(labels), Map.copyOf(annotations));
  }

  private static boolean keyAllowed(String key, String where, List<String> problems) {
    if (key == null || key.isEmpty()) {
      problems.add(where + ": the key is empty");
      return false;
    }
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? null : key.substring(0, slash);
    String name = slash < 0 ? key : key.substring(slash + 1);
    boolean valid = name.length() <= 63 && NAME.matcher(name).matches()
        && (prefix == null || prefix.length() <= 253 && PREFIX.matcher(prefix).matches());
    if (!valid) {
      problems.add(where + ": not a valid key (an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.')");
      return false;
    }
    if (prefix != null && (prefix.equals(RESERVED_DOMAIN) || prefix.endsWith("." + RESERVED_DOMAIN))) {
      problems.add(where + ": keys under " + RESERVED_DOMAIN + "/ are the operator's own");
      return false;
    }
    if (prefix != null && COPYING_DOMAINS.stream().anyMatch(d -> prefix.equals(d) || prefix.endsWith("." + d))) {
      problems.add(where + ": keys under " + prefix + "/ would have another tool copy the Secret, and its key, into"
          + " other namespaces");
      return false;
    }
    return true;
  }
}
