package io.photoapp.jwt.rotation;

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

/** The README's Guarantees name tests that exist: a renamed or deleted test fails here, not silently there. */
class GuaranteesDocsTest {
  static final Pattern NAMED = Pattern.compile("`([A-Z][A-Za-z]+)(?:#([a-z][A-Za-z]+))?`");

  @Test
  void everyTestTheGuaranteesNameExists() throws IOException, ClassNotFoundException {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("\n## Guarantees");
    assertThat(start).as("a Guarantees section").isPositive();
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));

    Map<String, Class<?>> testClasses = new HashMap<>();
    Path root = Path.of("target/test-classes");
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.toString().contains("$")).toList()) {
        String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
        Class<?> c = Class.forName(name, false, getClass().getClassLoader());
        testClasses.put(c.getSimpleName(), c);
      }
    }
    List<String> named = new ArrayList<>();
    Matcher m = NAMED.matcher(section);
    while (m.find()) {
      Class<?> c = testClasses.get(m.group(1));
      if (c == null || !(c.getSimpleName().endsWith("Test") || c.getSimpleName().endsWith("Guard")
          || c.getSimpleName().endsWith("Driver"))) {
        continue;
      }
      named.add(m.group(0));
      if (m.group(2) != null) {
        String method = m.group(2);
        assertThat(Arrays.stream(c.getDeclaredMethods()).map(Method::getName)).as(m.group(0)).contains(method);
      }
    }
    assertThat(named).as("tests named").hasSizeGreaterThan(10);
  }
}
