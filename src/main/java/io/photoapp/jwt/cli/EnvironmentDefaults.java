package io.photoapp.jwt.cli;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * Takes an option's default from {@code JWT_OPERATOR_<NAME>} (e.g. {@code --metrics-port} from
 * {@code JWT_OPERATOR_METRICS_PORT}); a flag on the command line wins.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
  public static final String PREFIX = "JWT_OPERATOR_";
  private final Map<String, String> env;

  public EnvironmentDefaults() {
    this(System.getenv());
  }

  public EnvironmentDefaults(Map<String, String> env) {
    this.env = env;
  }

  public static String variableFor(String longName) {
    return PREFIX + longName.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(CommandLine.Model.ArgSpec arg) {
    if (arg instanceof CommandLine.Model.OptionSpec option && option.longestName().startsWith("--")) {
      String value = env.get(variableFor(option.longestName()));
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return arg.defaultValue();
  }
}
