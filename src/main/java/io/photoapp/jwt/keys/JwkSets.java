package io.photoapp.jwt.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Builds the {@code jwks-secret.json} JWK set: current first, then next and previous. */
public final class JwkSets {
  private JwkSets() {}

  public static String toJson(List<JwkEntry> entries) {
    List<JWK> keys = new ArrayList<>();
    for (JwkEntry entry : entries) {
      Set<KeyOperation> ops = new LinkedHashSet<>();
      if (entry.signing()) {
        ops.add(KeyOperation.SIGN);
      }
      ops.add(KeyOperation.VERIFY);
      keys.add(new OctetSequenceKey.Builder(entry.key().utf8())
          .keyID(entry.keyId())
          .algorithm(JWSAlgorithm.parse(entry.algorithm().name()))
          .keyOperations(ops)
          .build());
    }
    // false: include the private (secret) parts; this set lives only in the Secret.
    return new JWKSet(keys).toString(false);
  }
}
