package io.photoapp.jwt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** {@code --version}: the project version, as the build wrote it into version.properties. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  static final String RESOURCE = "/io/photoapp/jwt/version.properties";

  /** The project version of pom.xml (the chart's appVersion and the image tag are the same). */
  public static String version() {
    try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String[] getVersion() {
    return new String[] {"jwt-secret-operator " + version()};
  }
}
