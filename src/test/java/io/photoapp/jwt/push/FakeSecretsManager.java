package io.photoapp.jwt.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photoapp.jwt.testing.OperatorHarness;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * AWS Secrets Manager's JSON 1.1 protocol as documented, for what the operator calls:
 * {@code POST /} with {@code X-Amz-Target: secretsmanager.PutSecretValue}, {@code .CreateSecret} or
 * {@code .GetSecretValue} (the AWSCURRENT version),
 * a SigV4 {@code Authorization} header, errors as {@code {"__type": ..., "message": ...}}.
 */
final class FakeSecretsManager implements StoreServer.Handler {
  static final String ACCESS_KEY = "AKIDTESTPUSH0000";
  static final String SECRET_KEY = "test-secret-access-key";
  static final String REGION = "eu-west-1";
  static final Pattern SIGV4 = Pattern.compile("^AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY
      + "/\\d{8}/" + REGION + "/secretsmanager/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Gives the operators of {@code h} this fake's credentials as their own identity, while the harness
   * lives: the AWS SDK's default chain reads these system properties first.
   */
  static void operatorIdentity(OperatorHarness h) {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET_KEY);
    h.closeAfterOperators(() -> {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
    });
  }

  private final Map<String, List<String>> secrets = new ConcurrentHashMap<>();
  private final Deque<StoreServer.Response> forced = new ArrayDeque<>();
  private int versions;

  /** A secret that exists before the operator pushes. */
  FakeSecretsManager existing(String name) {
    secrets.put(name, new ArrayList<>());
    return this;
  }

  synchronized FakeSecretsManager failNext(StoreServer.Response... responses) {
    forced.addAll(List.of(responses));
    return this;
  }

  /** Every SecretString version of a secret, oldest first; null when the secret does not exist. */
  List<String> values(String name) {
    return secrets.get(name);
  }

  /** A new version written by someone else (a hand edit, a rollback), the secret created if need be. */
  synchronized void write(String name, String value) {
    secrets.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
  }

  String current(String name) {
    List<String> v = secrets.get(name);
    return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
  }

  @Override
  public synchronized StoreServer.Response handle(StoreServer.Request r) {
    if (!forced.isEmpty()) {
      return forced.poll();
    }
    if (!"POST".equals(r.method()) || !"/".equals(r.path())) {
      return error(404, "UnknownOperationException", "");
    }
    String auth = r.header("Authorization");
    if (auth == null || !SIGV4.matcher(auth).matches() || r.header("X-Amz-Date") == null) {
      return error(400, "IncompleteSignatureException", "Authorization header requires a valid SigV4 signature");
    }
    if (!"application/x-amz-json-1.1".equals(r.header("Content-Type"))) {
      return error(400, "SerializationException", "");
    }
    JsonNode body;
    try {
      body = JSON.readTree(r.body());
    } catch (IOException e) {
      return error(400, "SerializationException", "");
    }
    String target = r.header("X-Amz-Target");
    if ("secretsmanager.PutSecretValue".equals(target)) {
      List<String> v = secrets.get(body.path("SecretId").asText());
      if (v == null) {
        return error(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
      }
      v.add(body.path("SecretString").asText());
      return version(body.path("SecretId").asText());
    }
    if ("secretsmanager.GetSecretValue".equals(target)) {
      String name = body.path("SecretId").asText();
      String value = current(name);
      if (value == null) {
        return error(400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
      }
      var answer = JSON.createObjectNode().put("ARN", "arn:aws:secretsmanager:" + REGION + ":123456789012:secret:" + name + "-AbCdEf")
          .put("Name", name).put("VersionId", "v-" + secrets.get(name).size()).put("SecretString", value).put("CreatedDate", 1.7953056E9);
      answer.putArray("VersionStages").add("AWSCURRENT");
      return new StoreServer.Response(200, Map.of("Content-Type", "application/x-amz-json-1.1"), answer.toString());
    }
    if ("secretsmanager.CreateSecret".equals(target)) {
      String name = body.path("Name").asText();
      if (secrets.containsKey(name)) {
        return error(400, "ResourceExistsException", "The operation failed because the secret " + name + " already exists.");
      }
      List<String> v = new ArrayList<>();
      v.add(body.path("SecretString").asText());
      secrets.put(name, v);
      return version(name);
    }
    return error(400, "UnknownOperationException", "");
  }

  private StoreServer.Response version(String name) {
    versions++;
    return new StoreServer.Response(200, Map.of("Content-Type", "application/x-amz-json-1.1", "x-amzn-RequestId", "req-" + versions),
        "{\"ARN\":\"arn:aws:secretsmanager:" + REGION + ":123456789012:secret:" + name + "-AbCdEf\",\"Name\":\"" + name
            + "\",\"VersionId\":\"v-" + versions + "\",\"VersionStages\":[\"AWSCURRENT\"]}");
  }

  static StoreServer.Response error(int status, String type, String message) {
    return new StoreServer.Response(status, Map.of("Content-Type", "application/x-amz-json-1.1", "x-amzn-ErrorType", type),
        "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
  }
}
