package io.photoapp.jwt.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scenario class on the fabric8 mock API server: {@link MockApiServerExtension} makes an
 * {@link OperatorHarness} (the operator not started: each scenario sets up what must exist first)
 * and a {@link LeakGuard} watching it from the start, hands both to any lifecycle or test method
 * that takes them as parameters, fails the scenario whose keys showed in status, Events, log lines
 * or metrics, and closes both, the guard first.
 *
 * <pre>{@code
 * @MockApiServer(harness = Lifecycle.PER_CLASS)
 * class SomeScenarioTest {
 *   @BeforeAll
 *   static void start(OperatorHarness h) { h.start(); }
 *
 *   @Test
 *   void something(OperatorHarness h, LeakGuard leaks) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(MockApiServerExtension.class)
public @interface MockApiServer {
  /**
   * One harness for the whole class, made before {@code @BeforeAll}; or a fresh one for each test,
   * made when the test (or its {@code @BeforeEach}) first takes it as a parameter.
   */
  Lifecycle harness() default Lifecycle.PER_METHOD;

  /**
   * Whether each test is checked for leaks on its own, or the class once after its last test (for
   * classes that do their work in {@code @BeforeAll}). A guard per test needs no harness per test.
   */
  Lifecycle leakGuard() default Lifecycle.PER_METHOD;

  /**
   * Whether the class makes keys. By default the guard fails a scope in which it saw no key, for a
   * leak check with nothing to look for checks nothing. A class whose tests make none (an API-server
   * behaviour, an Event writer, leader election, a CLI command over workloads only) says
   * {@link Keys#NONE}; its guard then fails any test that does make a key, so that a class which
   * starts making keys cannot do so unchecked. A class that makes keys in some tests only says
   * {@link Keys#NONE} on the others with {@link NoKeys}.
   */
  Keys keys() default Keys.MADE;

  /** What the guard expects of a class's (or a test's) keys. */
  enum Keys {
    /** Keys are made: the guard looks for each wherever a user could read it, and fails if it found none. */
    MADE,
    /** No key is made (no Secret data, none remembered): the guard fails if one is. */
    NONE
  }

  /** On a test of a {@link Keys#MADE} class (with a guard per test): this test makes no key. */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @interface NoKeys {}
}
