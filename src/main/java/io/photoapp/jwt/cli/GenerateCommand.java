package io.photoapp.jwt.cli;

import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.keys.KeyGenerator;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints one random key, as the guide's generate-jwt-secrets.py does. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Print a random key for JWT_SECRET_KEY (to stdout; nothing else is printed there).")
public final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--length", defaultValue = "64", description = "Characters, 32 to 4096 (default: ${DEFAULT-VALUE}).")
  int length;

  @Option(names = "--format", defaultValue = "urlsafe", description = "urlsafe, secure, hex or base64 (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  public Integer call() {
    var encoding = Encoding.parse(format);
    if (encoding.isEmpty()) {
      System.err.println("error: --format must be one of " + Arrays.stream(Encoding.values()).map(Encoding::value).toList());
      return 2;
    }
    if (length < KeyGenerator.MIN_LENGTH || length > KeyGenerator.MAX_LENGTH) {
      System.err.println("error: --length " + length + " is too " + (length < KeyGenerator.MIN_LENGTH ? "short" : "long")
          + ": a JWT key needs " + KeyGenerator.MIN_LENGTH + " to " + KeyGenerator.MAX_LENGTH + " characters (64 or more for production)");
      return 2;
    }
    System.out.println(new KeyGenerator().generate(encoding.get(), length).reveal());
    return 0;
  }
}
