package io.photoapp.jwt.node.app;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys a photo app pod holds, read once at start the way README "What the app must do" tells apps:
 * the current HMAC key from {@code JWT_SECRET_KEY} (with {@code JWT_SECRET_KEY_NEXT} and
 * {@code JWT_SECRET_KEY_PREVIOUS} when the stage has them), and every key of the JWK set in
 * {@code JWT_JWKS_FILE} (the Secret's {@code jwks-secret.json}, or the public-keys ConfigMap's
 * {@code jwks.json}). It signs with the current key, naming it in {@code kid}, and verifies a token
 * with the key its {@code kid} names, among every key it holds.
 */
public final class KeyRing {
  /** Why a token was refused; {@code null} when it verified. */
  public record Verdict(String subject, String refusal, String kid) {
    public boolean accepted() {
      return refusal == null;
    }
  }

  private final JWK signingKey;
  private final Map<String, JWK> verifyKeys;
  private final Duration lifetime;
  private final Clock clock;

  KeyRing(JWK signingKey, Map<String, JWK> verifyKeys, Duration lifetime, Clock clock) {
    this.signingKey = signingKey;
    this.verifyKeys = Map.copyOf(verifyKeys);
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** Reads the keys from the environment and the files it names. */
  public static KeyRing load(Map<String, String> env, Clock clock) throws IOException, ParseException {
    Map<String, JWK> verify = new LinkedHashMap<>();
    JWK signing = null;
    JWSAlgorithm hmac = JWSAlgorithm.parse(env.getOrDefault("JWT_ALGORITHM", "HS256"));
    for (String name : List.of("JWT_SECRET_KEY", "JWT_SECRET_KEY_NEXT", "JWT_SECRET_KEY_PREVIOUS")) {
      String value = env.get(name);
      if (value == null || value.isEmpty()) {
        continue;
      }
      OctetSequenceKey key = hmacKey(value, hmac, name.equals("JWT_SECRET_KEY_NEXT") || name.equals("JWT_SECRET_KEY_PREVIOUS"));
      verify.putIfAbsent(key.getKeyID(), key);
      if (name.equals("JWT_SECRET_KEY")) {
        signing = key;
      }
    }
    String jwksFile = env.get("JWT_JWKS_FILE");
    if (jwksFile != null && !jwksFile.isEmpty()) {
      List<JWK> keys = JWKSet.parse(Files.readString(Path.of(jwksFile), StandardCharsets.UTF_8)).getKeys();
      for (JWK key : keys) {
        if (key.getKeyOperations() == null || key.getKeyOperations().contains(KeyOperation.VERIFY)) {
          verify.putIfAbsent(key.getKeyID(), key);
        }
      }
      // The set's first key is the current one; a private one signs where no env key does.
      if (signing == null && !keys.isEmpty() && keys.get(0).isPrivate()) {
        signing = keys.get(0);
      }
    }
    String minutes = env.getOrDefault("JWT_ACCESS_TOKEN_EXPIRE_MINUTES", "15");
    return new KeyRing(signing, verify, Duration.ofMinutes(Long.parseLong(minutes.trim())), clock);
  }

  /** The HMAC key a string stands for (its UTF-8 bytes), with the key id the operator gives it: RFC 7638 thumbprint, 16 characters. */
  static OctetSequenceKey hmacKey(String value, JWSAlgorithm alg, boolean verifyOnly) {
    try {
      OctetSequenceKey bare = new OctetSequenceKey.Builder(value.getBytes(StandardCharsets.UTF_8)).build();
      String kid = bare.computeThumbprint().toString().substring(0, 16);
      return new OctetSequenceKey.Builder(bare).keyID(kid).algorithm(alg)
          .keyOperations(verifyOnly ? java.util.Set.of(KeyOperation.VERIFY) : java.util.Set.of(KeyOperation.SIGN, KeyOperation.VERIFY))
          .build();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot compute a key id", e);
    }
  }

  public boolean canSign() {
    return signingKey != null;
  }

  public Optional<String> signingKeyId() {
    return Optional.ofNullable(signingKey).map(JWK::getKeyID);
  }

  /** Ids of every key this pod verifies with. */
  public List<String> verifyKeyIds() {
    return new ArrayList<>(verifyKeys.keySet());
  }

  /** A token for {@code subject}, signed with the current key and naming it in {@code kid}. */
  public String sign(String subject) throws JOSEException {
    if (signingKey == null) {
      throw new IllegalStateException("this pod holds no signing key");
    }
    JWSAlgorithm alg = signingKey.getAlgorithm() != null ? JWSAlgorithm.parse(signingKey.getAlgorithm().getName()) : JWSAlgorithm.HS256;
    Date now = Date.from(clock.instant());
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(signingKey.getKeyID()).build(),
        new JWTClaimsSet.Builder().subject(subject).issueTime(now).expirationTime(Date.from(clock.instant().plus(lifetime))).build());
    jwt.sign(signer(signingKey));
    return jwt.serialize();
  }

  /** Verifies {@code token} with the key its {@code kid} names: signature, algorithm, expiry. */
  public Verdict verify(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return new Verdict(null, "malformed", null);
    }
    String kid = jwt.getHeader().getKeyID();
    JWK key = kid == null ? null : verifyKeys.get(kid);
    if (key == null) {
      return new Verdict(null, "unknown-kid", kid);
    }
    try {
      if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(jwt.getHeader().getAlgorithm().getName())) {
        return new Verdict(null, "wrong-alg", kid);
      }
      if (!jwt.verify(verifier(key))) {
        return new Verdict(null, "bad-signature", kid);
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(clock.instant())) {
        return new Verdict(null, "expired", kid);
      }
      return new Verdict(claims.getSubject(), null, kid);
    } catch (JOSEException | ParseException e) {
      return new Verdict(null, "unverifiable", kid);
    }
  }

  private static JWSSigner signer(JWK key) throws JOSEException {
    if (key instanceof OctetSequenceKey oct) {
      return new MACSigner(oct);
    }
    if (key instanceof ECKey ec) {
      return new ECDSASigner(ec);
    }
    if (key instanceof RSAKey rsa) {
      return new RSASSASigner(rsa);
    }
    throw new JOSEException("no signer for key type " + key.getKeyType());
  }

  private static JWSVerifier verifier(JWK key) throws JOSEException {
    if (key instanceof OctetSequenceKey oct) {
      return new MACVerifier(oct);
    }
    if (key instanceof ECKey ec) {
      return new ECDSAVerifier(ec.toPublicJWK());
    }
    if (key instanceof RSAKey rsa) {
      return new RSASSAVerifier(rsa.toPublicJWK());
    }
    throw new JOSEException("no verifier for key type " + key.getKeyType());
  }
}
