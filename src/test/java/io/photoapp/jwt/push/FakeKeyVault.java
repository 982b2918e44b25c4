package io.photoapp.jwt.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Azure Key Vault's REST API as documented, for Set Secret: {@code PUT {vaultUrl}/secrets/{name}?api-version=...}
 * with {@code {"value":..,"contentType":..,"tags":{..}}}, and Get Secret: {@code GET {vaultUrl}/secrets/{name}/}
 * (the latest version; 404 {@code SecretNotFound} when there is none). A request without a bearer token gets the
 * 401 challenge ({@code WWW-Authenticate: Bearer authorization=..., resource=...}) that the SDK
 * answers with a token; each write is a new version.
 */
final class FakeKeyVault implements StoreServer.Handler {
  static final String TOKEN = "test-access-token";
  static final String TENANT = "72f988bf-0000-0000-0000-000000000000";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SET_SECRET = Pattern.compile("^/secrets/([0-9a-zA-Z-]+)$");
  private static final Pattern GET_SECRET = Pattern.compile("^/secrets/([0-9a-zA-Z-]+)/?$");

  /** One version of a secret: its value, content type and tags. */
  record Version(String value, String contentType, Map<String, String> tags) {}

  private final Map<String, List<Version>> secrets = new ConcurrentHashMap<>();
  private final Deque<StoreServer.Response> forced = new ArrayDeque<>();
  private String base = "";

  FakeKeyVault at(String url) {
    this.base = url;
    return this;
  }

  synchronized FakeKeyVault failNext(StoreServer.Response... responses) {
    forced.addAll(List.of(responses));
    return this;
  }

  List<Version> versions(String name) {
    return secrets.getOrDefault(name, List.of());
  }

  /** A new version written by someone else (a hand edit, a rollback). */
  synchronized void write(String name, String value) {
    secrets.computeIfAbsent(name, n -> new ArrayList<>()).add(new Version(value, null, Map.of()));
  }

  Version latest(String name) {
    List<Version> v = versions(name);
    return v.isEmpty() ? null : v.get(v.size() - 1);
  }

  @Override
  public synchronized StoreServer.Response handle(StoreServer.Request r) {
    String auth = r.header("Authorization");
    if (auth == null) {
      return new StoreServer.Response(401, Map.of("Content-Type", "application/json", "WWW-Authenticate",
          "Bearer authorization=\"https://login.microsoftonline.com/" + TENANT + "\", resource=\"https://vault.azure.net\""),
          "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"AKV10000: Request is missing a Bearer or PoP token.\"}}");
    }
    if (!forced.isEmpty()) {
      return forced.poll();
    }
    if (!("Bearer " + TOKEN).equals(auth)) {
      return error(401, "Unauthorized", "AKV10032: Invalid issuer.");
    }
    Matcher get = GET_SECRET.matcher(r.path());
    if ("GET".equals(r.method()) && get.matches() && r.query() != null && r.query().startsWith("api-version=")) {
      Version latest = latest(get.group(1));
      if (latest == null) {
        return error(404, "SecretNotFound", "A secret with (name/id) " + get.group(1) + " was not found in this key vault.");
      }
      var answer = JSON.createObjectNode().put("value", latest.value())
          .put("id", base + "/secrets/" + get.group(1) + "/v" + versions(get.group(1)).size());
      answer.putObject("attributes").put("enabled", true).put("created", 1795845600).put("updated", 1795845600);
      if (latest.contentType() != null) {
        answer.put("contentType", latest.contentType());
      }
      var tags = answer.putObject("tags");
      latest.tags().forEach(tags::put);
      return StoreServer.Response.json(200, answer.toString());
    }
    Matcher m = SET_SECRET.matcher(r.path());
    if (!"PUT".equals(r.method()) || !m.matches() || r.query() == null || !r.query().startsWith("api-version=")) {
      return error(400, "BadParameter", "The request URI is not supported");
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      return error(400, "BadParameter", "The request body is not JSON");
    }
    if (!body.path("value").isTextual()) {
      return error(400, "BadParameter", "Property value is required");
    }
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    body.path("tags").fields().forEachRemaining(e -> tags.put(e.getKey(), e.getValue().asText()));
    String name = m.group(1);
    List<Version> list = secrets.computeIfAbsent(name, n -> new ArrayList<>());
    list.add(new Version(body.path("value").asText(), body.path("contentType").asText(null), tags));
    String version = "v" + list.size();
    return StoreServer.Response.json(200, "{\"value\":" + body.path("value").toString() + ",\"id\":\"" + base + "/secrets/" + name
        + "/" + version + "\",\"contentType\":" + body.path("contentType").toString()
        + ",\"attributes\":{\"enabled\":true,\"created\":1795845600,\"updated\":1795845600,\"recoveryLevel\":\"Recoverable+Purgeable\"},"
        + "\"tags\":" + body.path("tags").toString() + "}");
  }

  static StoreServer.Response error(int status, String code, String message) {
    return StoreServer.Response.json(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
  }
}
