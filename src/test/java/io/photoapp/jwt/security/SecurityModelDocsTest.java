package io.photoapp.jwt.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The README's Security model names actors, assets and, for each boundary, tests that exist. */
class SecurityModelDocsTest {
  static final Pattern NAMED = Pattern.compile("`([A-Z][A-Za-z0-9]+)(?:#([a-z][A-Za-z0-9]+))?`");

  @Test
  void everyBoundaryNamesTestsThatExist() throws IOException, ClassNotFoundException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("\n## Security model");
    assertThat(start).as("a Security model section").isPositive();
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
    assertThat(section).contains("**Actors.**", "**Assets**", "**Boundaries", "cluster admin", "store admin",
        "namespace user", "workload owner", "any pod on the network");

    Map<String, Class<?>> classes = new HashMap<>();
    Path root = Path.of("target/test-classes");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).toList()) {
        String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> c = Class.forName(name, false, getClass().getClassLoader());
        classes.put(c.getSimpleName(), c);
      }
    }
    List<String> missing = new ArrayList<>();
    int named = 0;
    String table = section.substring(section.indexOf("**Boundaries"));
    for (String row : table.split("\n")) {
      if (!row.startsWith("| ") || row.startsWith("| boundary") || row.startsWith("|---")) {
        continue;
      }
      String[] cells = row.split("\\|");
      Matcher m = NAMED.matcher(cells[cells.length - 1]);
      boolean any = false;
      while (m.find()) {
        any = true;
        named++;
        Class<?> c = classes.get(m.group(1));
        if (c == null) {
          missing.add(m.group(0));
        } else if (m.group(2) != null
            && Arrays.stream(c.getDeclaredMethods()).map(Method::getName).noneMatch(m.group(2)::equals)) {
          missing.add(m.group(0));
        }
      }
      assertThat(any).as("a test for: " + cells[1].strip()).isTrue();
    }
    assertThat(missing).as("tests the Security model names").isEmpty();
    assertThat(named).isGreaterThan(20);
  }
}
