package io.photoapp.jwt.bench;

/** Names a request the way the API server's audit log does: a verb and a resource (with subresource). */
final class RequestKey {
  private RequestKey() {}

  /** get, list, watch, create, update, patch, delete, deletecollection. */
  static String verb(String method, String path) {
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q + 1);
    String[] segments = segments(path);
    boolean named = named(segments);
    return switch (method.toUpperCase()) {
      case "GET" -> query.contains("watch=true") || query.contains("watch=1") ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase();
    };
  }

  /** The resource, e.g. {@code secrets}, {@code jwtsecrets/status}, {@code deployments}. */
  static String resource(String path) {
    String[] s = segments(path);
    int i = typeIndex(s);
    if (i < 0 || i >= s.length) {
      return String.join("/", s);
    }
    return i + 2 < s.length ? s[i] + "/" + s[i + 2] : s[i];
  }

  private static String[] segments(String path) {
    int q = path.indexOf('?');
    String p = q < 0 ? path : path.substring(0, q);
    return p.replaceAll("^/+", "").split("/");
  }

  /** Index of the resource type: after /api/v1 or /apis/group/version, and after namespaces/{ns}. */
  private static int typeIndex(String[] s) {
    int i;
    if (s.length > 0 && s[0].equals("api")) {
      i = 2;
    } else if (s.length > 0 && s[0].equals("apis")) {
      i = 3;
    } else {
      return -1;
    }
    if (s.length > i + 2 && s[i].equals("namespaces")) {
      i += 2;
    }
    return i;
  }

  private static boolean named(String[] s) {
    int i = typeIndex(s);
    return i >= 0 && i + 1 < s.length;
  }
}
