package io.photoapp.jwt.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vault's HTTP API as documented, for what the operator calls: Kubernetes auth login
 * ({@code POST /v1/auth/<mount>/login} with role and jwt, answering {@code auth.client_token}) and
 * KV version 2 writes ({@code POST /v1/<mount>/data/<path>} with {@code X-Vault-Token} and
 * {@code {"data": {...}}}, each a new version) and reads ({@code GET} of the same path: the latest
 * version as {@code {"data": {"data": {...}, "metadata": {...}}}}, or 404).
 */
final class FakeVault implements StoreServer.Handler {
  static final String ROLE = "jwt-secret-operator";
  static final String SERVICE_ACCOUNT_JWT = "eyJhbGciOiJSUzI1NiJ9.test-service-account.sig";
  static final String STATIC_TOKEN = "hvs.static-test-token";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LOGIN = Pattern.compile("^/v1/auth/(.+)/login$");
  private static final Pattern KV_WRITE = Pattern.compile("^/v1/(.+?)/data/(.+)$");

  private final String kvMount;
  private final String authMount;
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Map<String, String>>> versions = new ConcurrentHashMap<>();
  private final Deque<StoreServer.Response> forced = new ArrayDeque<>();
  private int logins;
  /** The subject of every accepted Kubernetes login, in order ("operator" for the operator's own token). */
  final List<String> loginSubjects = new java.util.concurrent.CopyOnWriteArrayList<>();

  FakeVault(String kvMount, String authMount) {
    this.kvMount = kvMount;
    this.authMount = authMount;
    tokens.add(STATIC_TOKEN);
  }

  /** The next answers, whatever the request. */
  synchronized FakeVault failNext(StoreServer.Response... responses) {
    forced.addAll(List.of(responses));
    return this;
  }

  /** A new version written by someone else (an edit by hand, a rollback). */
  synchronized void write(String path, Map<String, String> fields) {
    versions.computeIfAbsent(path, p -> new ArrayList<>()).add(new LinkedHashMap<>(fields));
  }

  /** Every version written to a path, oldest first. */
  List<Map<String, String>> versions(String path) {
    return versions.getOrDefault(path, List.of());
  }

  /** Every path written to. */
  Set<String> paths() {
    return Set.copyOf(versions.keySet());
  }

  Map<String, String> latest(String path) {
    List<Map<String, String>> v = versions(path);
    return v.isEmpty() ? null : v.get(v.size() - 1);
  }

  @Override
  public synchronized StoreServer.Response handle(StoreServer.Request r) {
    if (!forced.isEmpty()) {
      return forced.poll();
    }
    if ("GET".equals(r.method())) {
      return read(r);
    }
    if (!"POST".equals(r.method()) && !"PUT".equals(r.method())) {
      return errors(405, "unsupported operation");
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      return errors(400, "failed to parse JSON input");
    }
    Matcher login = LOGIN.matcher(r.path());
    if (login.matches()) {
      if (!authMount.equals(login.group(1))) {
        return errors(400, "no handler for route \"auth/" + login.group(1) + "/login\". route entry not found.");
      }
      if (!ROLE.equals(body.path("role").asText())) {
        return errors(400, "invalid role name \"" + body.path("role").asText() + "\"");
      }
      String jwt = body.path("jwt").asText();
      String subject = SERVICE_ACCOUNT_JWT.equals(jwt) ? "operator" : StoreFixtures.subjectOf(jwt);
      // Vault asks the API server's TokenReview; this fake believes any ServiceAccount token's subject.
      if (!subject.equals("operator") && !subject.startsWith("system:serviceaccount:")) {
        return errors(403, "permission denied");
      }
      loginSubjects.add(subject);
      String token = "hvs.login-" + (++logins);
      tokens.add(token);
      return StoreServer.Response.json(200, "{\"request_id\":\"1\",\"auth\":{\"client_token\":\"" + token
          + "\",\"accessor\":\"a\",\"policies\":[\"jwt-push\"],\"lease_duration\":300,\"renewable\":true}}");
    }
    Matcher write = KV_WRITE.matcher(r.path());
    if (write.matches()) {
      String token = r.header("X-Vault-Token");
      if (token == null || !tokens.contains(token)) {
        return errors(403, "permission denied");
      }
      if (!kvMount.equals(write.group(1))) {
        return errors(404, "no handler for route \"" + write.group(1) + "/data/" + write.group(2) + "\"");
      }
      JsonNode data = body.path("data");
      if (!data.isObject()) {
        return errors(400, "no data provided");
      }
      Map<String, String> fields = new LinkedHashMap<>();
      data.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
      List<Map<String, String>> list = versions.computeIfAbsent(write.group(2), p -> new ArrayList<>());
      list.add(fields);
      return StoreServer.Response.json(200, "{\"data\":{\"created_time\":\"2026-11-28T06:00:00Z\",\"deletion_time\":\"\","
          + "\"destroyed\":false,\"version\":" + list.size() + "}}");
    }
    return errors(404, "");
  }

  private StoreServer.Response read(StoreServer.Request r) {
    Matcher m = KV_WRITE.matcher(r.path());
    if (!m.matches()) {
      return errors(404, "");
    }
    String token = r.header("X-Vault-Token");
    if (token == null || !tokens.contains(token)) {
      return errors(403, "permission denied");
    }
    if (!kvMount.equals(m.group(1))) {
      return errors(404, "no handler for route \"" + m.group(1) + "/data/" + m.group(2) + "\"");
    }
    Map<String, String> latest = latest(m.group(2));
    if (latest == null) {
      return errors(404, "");
    }
    var body = JSON.createObjectNode();
    var data = body.putObject("data");
    var fields = data.putObject("data");
    latest.forEach(fields::put);
    data.putObject("metadata").put("version", versions(m.group(2)).size());
    return StoreServer.Response.json(200, body.toString());
  }

  static StoreServer.Response errors(int status, String message) {
    return StoreServer.Response.json(status, message.isEmpty() ? "{\"errors\":[]}" : "{\"errors\":[\"" + message.replace("\"", "\\\"") + "\"]}");
  }
}
