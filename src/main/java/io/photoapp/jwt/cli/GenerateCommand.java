package io.photoapp.jwt.cli;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.keys.AsymmetricKeys;
import io.photoapp.jwt.keys.KeyGenerator;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.spec.SpecResolver;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints one random key, as the guide's generate-jwt-secrets.py does, or one asymmetric key pair. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Print a random key for JWT_SECRET_KEY (to stdout; nothing else is printed there).",
        "With an asymmetric --algorithm, print a new key pair: its private JWK, or with --format pem its "
            + "PKCS#8 private key and its public key."})
public final class GenerateCommand implements Callable<Integer> {
  static final String JWK = "jwk";
  static final String PEM = "pem";

  @Option(names = "--algorithm", defaultValue = "HS256", paramLabel = "ALG",
      description = "HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512 or EdDSA (default: ${DEFAULT-VALUE}).")
  String algorithm;

  @Option(names = "--length", description = "HMAC: characters, 32 to 4096 (default: 64, or more where the algorithm needs it: HS512 86).")
  Integer length;

  @Option(names = "--format", description = "HMAC: urlsafe (default), secure, hex or base64. Asymmetric: jwk (default) or pem.")
  String format;

  @Option(names = "--size", description = "RSA (RS*, PS*): modulus bits, 2048 to 8192 (default: 3072).")
  Integer size;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    var alg = Algorithm.parse(algorithm);
    if (alg.isEmpty()) {
      err.println("error: --algorithm must be one of " + Arrays.stream(Algorithm.values()).map(Algorithm::name).toList());
      return 2;
    }
    if (alg.get().isAsymmetric()) {
      return keyPair(alg.get(), out, err);
    }
    if (size != null) {
      err.println("error: --size applies to RSA algorithms only");
      return 2;
    }
    var encoding = Encoding.parse(format == null ? Encoding.URLSAFE.value() : format);
    if (encoding.isEmpty()) {
      err.println("error: --format must be one of " + Arrays.stream(Encoding.values()).map(Encoding::value).toList());
      return 2;
    }
    int chars = length != null ? length : SpecResolver.defaultLength(alg.get(), encoding.get());
    if (chars < KeyGenerator.MIN_LENGTH || chars > KeyGenerator.MAX_LENGTH) {
      err.println("error: --length " + chars + " is too " + (chars < KeyGenerator.MIN_LENGTH ? "short" : "long")
          + ": a JWT key needs " + KeyGenerator.MIN_LENGTH + " to " + KeyGenerator.MAX_LENGTH + " characters (64 or more for production)");
      return 2;
    }
    out.println(new KeyGenerator().generate(encoding.get(), chars).reveal());
    out.flush();
    return 0;
  }

  private int keyPair(Algorithm alg, PrintWriter out, PrintWriter err) {
    if (length != null) {
      err.println("error: --length applies to HMAC algorithms only");
      return 2;
    }
    String shape = format == null ? JWK : format;
    if (!shape.equals(JWK) && !shape.equals(PEM)) {
      err.println("error: --format must be jwk or pem for " + alg);
      return 2;
    }
    boolean rsa = alg.family() == Algorithm.Family.RSA;
    if (size != null && !rsa) {
      err.println("error: --size applies to RSA algorithms only");
      return 2;
    }
    int bits = size == null ? AsymmetricKeys.DEFAULT_RSA_BITS : size;
    if (rsa && (bits < AsymmetricKeys.MIN_RSA_BITS || bits > AsymmetricKeys.MAX_RSA_BITS)) {
      err.println("error: --size " + bits + " is outside " + AsymmetricKeys.MIN_RSA_BITS + " to " + AsymmetricKeys.MAX_RSA_BITS
          + " bits (3072 or more for production)");
      return 2;
    }
    KeyValue key = new KeyGenerator().generateKeyPair(alg, bits);
    if (shape.equals(JWK)) {
      out.println(key.reveal());
    } else {
      out.print(AsymmetricKeys.privatePem(key).orElseThrow());
      out.print(AsymmetricKeys.publicPem(key).orElseThrow());
    }
    out.flush();
    return 0;
  }
}
