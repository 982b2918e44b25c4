package io.photoapp.jwt.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The class list the image's CDS archive is dumped from: what a run's timing changes must not reach the archive. */
class TrainingRunTest {
  @Test
  void twoRunsThatLoadedTheSameClassesInAnotherOrderGiveTheSameList() {
    List<String> first = List.of(
        "# NOTE: Do not modify this file.",
        "java/lang/Object id: 0",
        "io/photoapp/jwt/cli/Main id: 1",
        "@cp io/photoapp/jwt/cli/Main 3 7 12",
        "@lambda-proxy io/photoapp/jwt/cli/Main run ()Ljava/lang/Runnable;",
        "java/lang/String id: 2");
    List<String> second = List.of(
        "# NOTE: Do not modify this file.",
        "java/lang/Object id: 0",
        "java/lang/String id: 1",
        "@lambda-proxy io/photoapp/jwt/cli/Main run ()Ljava/lang/Runnable;",
        "io/photoapp/jwt/cli/Main id: 2",
        "@cp io/photoapp/jwt/cli/Main 3 7");

    List<String> expected = List.of("io/photoapp/jwt/cli/Main", "java/lang/Object", "java/lang/String",
        "@lambda-proxy io/photoapp/jwt/cli/Main run ()Ljava/lang/Runnable;");
    assertEquals(expected, TrainingRun.normalize(first));
    assertEquals(expected, TrainingRun.normalize(second));
  }

  @Test
  void classesOfOtherLoadersAndDuplicatesGoLambdasStayOnceAfterTheClasses() {
    List<String> lines = List.of(
        "java/lang/Object id: 0",
        "Foo id: 5 super: 0 source: /tmp/foo.jar",
        "java/lang/Object id: 9",
        "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L7_L",
        "",
        "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L7_L");

    // The lambdas are archived too (else spun at every start); each once, after the classes they name.
    assertEquals(List.of("java/lang/Object",
        "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L7_L"), TrainingRun.normalize(lines));
  }

  @Test
  void lambdasNamingPicocliTypesGoSoThatPicocliIsArchived() {
    List<String> lines = List.of(
        "picocli/CommandLine id: 1",
        "@lambda-proxy io/photoapp/jwt/cli/Main handleParseException ()Lpicocli/CommandLine$IParameterExceptionHandler; "
            + "(Lpicocli/CommandLine$ParameterException;[Ljava/lang/String;)I REF_invokeStatic io/photoapp/jwt/cli/Main badArguments",
        "@lambda-proxy io/photoapp/jwt/cli/Main run ()Ljava/lang/Runnable;");

    // Resolving the first lambda at dump time would link picocli's (Java 5) interface, and the dump then leaves
    // it, and every picocli class depending on it, out of the archive.
    assertEquals(List.of("picocli/CommandLine", "@lambda-proxy io/photoapp/jwt/cli/Main run ()Ljava/lang/Runnable;"),
        TrainingRun.normalize(lines));
  }
}
