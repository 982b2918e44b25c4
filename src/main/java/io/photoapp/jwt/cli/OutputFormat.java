package io.photoapp.jwt.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The {@code -o} formats: a table (or Markdown) for people, JSON or YAML for scripts. */
enum OutputFormat {
  TABLE, JSON, YAML, MARKDOWN;

  /** The named format among those a command offers; a {@link CliError} otherwise. */
  static OutputFormat parse(String name, OutputFormat... offered) {
    List<OutputFormat> formats = Arrays.asList(offered);
    for (OutputFormat f : formats) {
      if (f.name().equalsIgnoreCase(name == null ? "" : name.trim())) {
        return f;
      }
    }
    throw new CliError("-o/--output must be " + String.join(" or ",
        formats.stream().map(f -> f.name().toLowerCase(Locale.ROOT)).toList()) + ", not \"" + name + "\"");
  }

  String render(Object value) {
    try {
      return switch (this) {
        case JSON -> Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        case YAML -> Serialization.asYaml(value);
        case TABLE, MARKDOWN -> throw new IllegalStateException("a table is printed, not rendered");
      };
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the output: " + e.getOriginalMessage());
    }
  }
}
