package io.photoapp.jwt.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the image takes from the chart's values.yaml: the JVM options, one source for both. */
final class ChartValues {
  static final Path VALUES = Path.of("helm/jwt-secret-operator/values.yaml");

  private ChartValues() {}

  static String javaToolOptions(Path project) throws IOException {
    for (String line : Files.readAllLines(project.resolve(VALUES))) {
      if (line.startsWith("javaToolOptions:")) {
        return line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
      }
    }
    throw new IllegalStateException("no javaToolOptions in " + project.resolve(VALUES));
  }
}
