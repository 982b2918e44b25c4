package io.photoapp.jwt.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No method in src/main over 60 lines, signature to closing brace: a longer one does more than one
 * thing. The store clients of {@code push} and {@code reconciler/StoreRestore} are being reworked
 * elsewhere and are listed, not held to it yet.
 */
class MethodLengthTest {
  static final int LIMIT = 60;
  static final Path MAIN = Path.of("src/main/java");
  private static final List<String> NOT_YET = List.of("io/photoapp/jwt/push/", "io/photoapp/jwt/reconciler/StoreRestore.java");
  private static final Pattern CONTROL = Pattern.compile("^(if|for|while|switch|catch|synchronized|try|else|do|return|finally)\\b.*",
      Pattern.DOTALL);
  private static final Pattern TYPE = Pattern.compile("(.*\\s)?(class|interface|@interface|enum|record)\\s+\\w+.*|.*\\bnew\\s+[\\w.<>]+\\s*\\(.*\\)\\s*",
      Pattern.DOTALL);

  record Method(String file, String name, int lines) {
    @Override
    public String toString() {
      return file + " " + name + " " + lines + " lines";
    }
  }

  @Test
  void noMethodIsLongerThanSixtyLines() throws IOException {
    List<Method> longer = longMethods(MAIN);
    longer.forEach(m -> System.out.println("method over " + LIMIT + " lines: " + m));
    assertThat(longer.stream().filter(m -> NOT_YET.stream().noneMatch(m.file()::contains)).toList())
        .as("methods over %d lines", LIMIT).isEmpty();
  }

  @Test
  void theCountFindsALongMethodAndSkipsBlocksInside() {
    StringBuilder source = new StringBuilder("class A {\n  void shortOne() {\n    if (x) {\n    }\n  }\n  int longOne(int a,\n      int b) {\n");
    for (int i = 0; i < LIMIT; i++) {
      source.append("    Runnable r = () -> { String s = \"}{\"; };\n");
    }
    source.append("  }\n}\n");
    assertThat(methods("A.java", source.toString())).containsExactly(new Method("A.java", "shortOne", 4),
        new Method("A.java", "longOne", LIMIT + 3));
  }

  static List<Method> longMethods(Path root) throws IOException {
    List<Method> longer = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        methods(root.relativize(file).toString(), Files.readString(file)).stream().filter(m -> m.lines() > LIMIT)
            .forEach(longer::add);
      }
    }
    longer.sort(Comparator.comparingInt(Method::lines).reversed());
    return longer;
  }

  /** The methods and constructors of a source file with their length in lines; comments and literals are skipped. */
  static List<Method> methods(String file, String text) {
    List<Method> methods = new ArrayList<>();
    Deque<Object[]> blocks = new ArrayDeque<>(); // {kind: "type"|"method"|"code", name, start line}
    StringBuilder head = new StringBuilder();
    int headLine = 1;
    int line = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
      }
      if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
        i = text.indexOf('\n', i) - 1;
        continue;
      }
      if (c == '/' && i + 1 < text.length() && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        line += count(text, i, end);
        i = end + 1;
        continue;
      }
      if (c == '"' || c == '\'') {
        int end = literalEnd(text, i);
        line += count(text, i, end);
        i = end;
        head.append("\"\"");
        continue;
      }
      if (c == '{') {
        String h = withoutAnnotations(head.toString().trim());
        boolean inType = blocks.isEmpty() || "type".equals(blocks.peek()[0]);
        if (TYPE.matcher(h).matches()) {
          blocks.push(new Object[] {"type", null, line});
        } else if (inType && h.contains("(") && !CONTROL.matcher(h).matches() && !h.contains("->") && !h.contains("=")) {
          blocks.push(new Object[] {"method", name(h), headLine});
        } else {
          blocks.push(new Object[] {"code", null, line});
        }
        head.setLength(0);
        continue;
      }
      if (c == '}') {
        Object[] block = blocks.pop();
        if ("method".equals(block[0])) {
          methods.add(new Method(file, (String) block[1], line - (int) block[2] + 1));
        }
        head.setLength(0);
        continue;
      }
      if (c == ';') {
        head.setLength(0);
        continue;
      }
      if (head.isEmpty() && Character.isWhitespace(c)) {
        continue;
      }
      if (head.isEmpty()) {
        headLine = line;
      }
      head.append(c);
    }
    return methods;
  }

  /** The declaration without the annotations before it (their arguments may hold parentheses). */
  private static String withoutAnnotations(String head) {
    String h = head;
    while (h.startsWith("@") && !h.startsWith("@interface")) {
      int i = 1;
      while (i < h.length() && (Character.isJavaIdentifierPart(h.charAt(i)) || h.charAt(i) == '.')) {
        i++;
      }
      while (i < h.length() && Character.isWhitespace(h.charAt(i))) {
        i++;
      }
      if (i < h.length() && h.charAt(i) == '(') {
        int depth = 0;
        do {
          depth += h.charAt(i) == '(' ? 1 : h.charAt(i) == ')' ? -1 : 0;
          i++;
        } while (depth > 0 && i < h.length());
      }
      h = h.substring(i).trim();
    }
    return h;
  }

  private static String name(String head) {
    String beforeParen = head.substring(0, head.indexOf('(')).trim();
    String[] words = beforeParen.split("\\s+");
    return words[words.length - 1];
  }

  private static int literalEnd(String text, int start) {
    if (text.startsWith("\"\"\"", start)) {
      return text.indexOf("\"\"\"", start + 3) + 2;
    }
    char quote = text.charAt(start);
    for (int i = start + 1; i < text.length(); i++) {
      if (text.charAt(i) == '\\') {
        i++;
      } else if (text.charAt(i) == quote) {
        return i;
      }
    }
    return text.length() - 1;
  }

  private static int count(String text, int from, int to) {
    int n = 0;
    for (int i = from; i <= to && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
