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

/**
 * Builds the JWK sets: {@code jwks-secret.json} (every key, private parts included: current first,
 * then next and previous) and the public set of the asymmetric keys that verifiers may be served.
 */
public final class JwkSets {
  private JwkSets() {}

  public static String toJson(List<JwkEntry> entries) {
    List<JWK> keys = new ArrayList<>();
    for (JwkEntry entry : entries) {
      if (entry.algorithm().isAsymmetric()) {
        // A value that holds no private JWK (edited by hand) cannot be a JWK: it is left out.
        AsymmetricKeys.privateJwk(entry.key(), entry.algorithm(), entry.keyId(), AsymmetricKeys.ops(entry.signing()))
            .ifPresent(keys::add);
        continue;
      }
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

  /**
   * The public JWK set of the asymmetric keys among the entries, in their order, each with
   * {@code kid}, {@code alg} and {@code use: sig}; HMAC keys have no public half and are left out.
   */
  public static String publicJson(List<JwkEntry> entries) {
    List<JWK> keys = new ArrayList<>();
    for (JwkEntry entry : entries) {
      if (entry.algorithm().isAsymmetric()) {
        AsymmetricKeys.publicJwk(entry.key(), entry.algorithm(), entry.keyId()).ifPresent(keys::add);
      }
    }
    return new JWKSet(keys).toString(true);
  }

  /** Whether any entry has a public half to publish. */
  public static boolean hasPublicKeys(List<JwkEntry> entries) {
    return entries.stream().anyMatch(e -> e.algorithm().isAsymmetric());
  }
}
