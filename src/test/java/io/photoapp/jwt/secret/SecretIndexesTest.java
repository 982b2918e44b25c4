package io.photoapp.jwt.secret;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.keys.KeyIds;
import io.photoapp.jwt.keys.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretIndexesTest {
  static final KeyValue KEY = new KeyGenerator().generate(Encoding.URLSAFE, 64);

  static Secret secret(Map<String, String> annotations, Map<String, String> data) {
    return new SecretBuilder().withNewMetadata().withName("app").withNamespace("ns").withAnnotations(annotations)
        .endMetadata().withData(data).build();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theKeyIdComesFromTheDataNotFromTheAnnotation() {
    Secret s = secret(Map.of(Labels.KEY_ID, "forged-id"), Map.of("jwt-secret-key", b64(KEY.reveal())));
    assertThat(SecretIndexes.currentKeyId(s)).containsExactly(KeyIds.of(KEY));
  }

  @Test
  void theRecordedDataKeyNamesAreFollowed() {
    Secret s = secret(Map.of(Labels.DATA_KEYS, "signing,signing-prev,signing-next"),
        Map.of("signing", b64(KEY.reveal()), "jwt-secret-key", b64("something else entirely")));
    assertThat(SecretIndexes.currentKeyId(s)).containsExactly(KeyIds.of(KEY));
  }

  @Test
  void aSecretWithoutAReadableKeyIsNotIndexedAndDoesNotThrow() {
    assertThat(SecretIndexes.currentKeyId(secret(Map.of(), Map.of()))).isEmpty();
    assertThat(SecretIndexes.currentKeyId(secret(Map.of(), Map.of("jwt-secret-key", "%%% not base64")))).isEmpty();
    assertThat(SecretIndexes.currentKeyId(new SecretBuilder().withNewMetadata().withName("bare").endMetadata().build())).isEmpty();
  }

  @Test
  void theOwnerUidComesFromItsAnnotation() {
    assertThat(SecretIndexes.ownerUid(secret(Map.of(Labels.OWNER_UID, "uid-1"), Map.of()))).containsExactly("uid-1");
    assertThat(SecretIndexes.ownerUid(secret(Map.of(), Map.of()))).isEmpty();
  }
}
