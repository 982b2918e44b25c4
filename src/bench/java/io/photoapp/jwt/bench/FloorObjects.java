package io.photoapp.jwt.bench;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.keys.KeyValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the floor writes: a Secret and a status of the same shape and about the same size as the
 * operator's (same data keys, label, annotations, conditions), built by hand so that the floor does
 * no work but the two writes.
 */
final class FloorObjects {
  private FloorObjects() {}

  static Secret secret(JwtSecret js, KeyValue key, String kid) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String k = Base64.getUrlEncoder().withoutPadding().encodeToString(key.utf8());
    String jwks = "{\"keys\":[{\"kty\":\"oct\",\"key_ops\":[\"sign\",\"verify\"],\"kid\":\"" + kid
        + "\",\"k\":\"" + k + "\",\"alg\":\"HS256\"}]}";
    Map<String, String> data = new LinkedHashMap<>();
    data.put("jwt-secret-key", b64(key.reveal()));
    data.put("jwt-algorithm", b64("HS256"));
    data.put("jwt-access-token-expire-minutes", b64("1"));
    data.put("jwks-secret.json", b64(jwks));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Labels.OWNER, js.getMetadata().getNamespace() + "/" + js.getMetadata().getName());
    annotations.put(Labels.OWNER_UID, js.getMetadata().getUid());
    annotations.put(Labels.DATA_KEYS, "jwt-secret-key,jwt-secret-key-previous,jwt-secret-key-next");
    annotations.put(Labels.PHASE, "Idle");
    annotations.put(Labels.KEY_ID, kid);
    annotations.put(Labels.KEY_CREATED_AT, now);
    annotations.put(Labels.KEY_ALGORITHM, "HS256");
    annotations.put(Labels.ROTATED_AT, now);
    annotations.put(Labels.ROTATION_REASON, "Created");
    annotations.put(Labels.ROTATION_COUNT, "0");
    return new SecretBuilder().withNewMetadata().withName(js.getMetadata().getName()).withNamespace(js.getMetadata().getNamespace())
        .withLabels(Map.of(Labels.MANAGED, Labels.TRUE)).withAnnotations(annotations).endMetadata()
        .withType("Opaque").withData(data).build();
  }

  /** A JSON patch that adds the whole status, as the operator's StatusWriter sends it. */
  static String statusPatch(JwtSecret js, String kid) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String next = Instant.now().plus(180, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    long gen = js.getMetadata().getGeneration() == null ? 1 : js.getMetadata().getGeneration();
    String target = js.getSpec().restart.targets.get(0).name;
    return """
        [{"op":"add","path":"/status","value":{"observedGeneration":%d,"phase":"Idle","keyId":"%s","keyCreatedAt":"%s",\
        "lastRotationTime":"%s","lastRotationReason":"Created","nextRotationTime":"%s","rotationCount":0,\
        "workloads":[{"kind":"Deployment","name":"%s","keySet":"%s","ready":true,"message":"rolled out"}],\
        "conditions":[\
        {"type":"Ready","status":"True","reason":"SecretReady","message":"Secret %s holds key %s","lastTransitionTime":"%s","observedGeneration":%d},\
        {"type":"PolicyCompliant","status":"True","reason":"Compliant","message":"every rule of the development profile holds","lastTransitionTime":"%s","observedGeneration":%d},\
        {"type":"RolloutComplete","status":"True","reason":"RolledOut","message":"every target runs the current key set","lastTransitionTime":"%s","observedGeneration":%d}]}}]"""
        .formatted(gen, kid, now, now, next, target, kid, js.getMetadata().getName(), kid, now, gen, now, gen, now, gen);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
