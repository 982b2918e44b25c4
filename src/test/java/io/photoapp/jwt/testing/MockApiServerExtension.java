package io.photoapp.jwt.testing;

import io.photoapp.jwt.testing.MockApiServer.Keys;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The set-up every scenario class shared, in one place: see {@link MockApiServer}. The harness and
 * the guard live in the JUnit store of the scope they were made for (the class or one test), so a
 * test's own {@code @AfterEach} still sees them, and they close after it.
 */
public final class MockApiServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MockApiServerExtension.class);
  private static final String HARNESS = "harness";
  private static final String GUARD = "guard";

  @Override
  public void beforeAll(ExtensionContext context) {
    MockApiServer settings = settings(context);
    if (settings.harness() == Lifecycle.PER_METHOD && settings.leakGuard() == Lifecycle.PER_CLASS) {
      throw new ExtensionConfigurationException("a class-wide leak guard needs a class-wide harness");
    }
    if (settings.harness() == Lifecycle.PER_CLASS) {
      open(context, settings.leakGuard() == Lifecycle.PER_CLASS);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    MockApiServer settings = settings(context);
    if (settings.leakGuard() == Lifecycle.PER_CLASS
        && context.getRequiredTestMethod().isAnnotationPresent(MockApiServer.NoKeys.class)) {
      throw new ExtensionConfigurationException("@NoKeys needs a guard per test: a class-wide guard checks the class");
    }
    // A harness per test is made when the test first asks for it (see resolveParameter): a test that
    // needs no API server gets none, and no guard that would find no key to look for.
    if (settings.harness() == Lifecycle.PER_CLASS && settings.leakGuard() == Lifecycle.PER_METHOD) {
      OperatorHarness h = context.getStore(NAMESPACE).get(HARNESS, OperatorHarness.class);
      context.getStore(NAMESPACE).put(GUARD, LeakGuard.watch(h));
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    MockApiServer settings = settings(context);
    boolean noKeys = settings.keys() == Keys.NONE
        || context.getRequiredTestMethod().isAnnotationPresent(MockApiServer.NoKeys.class);
    close(context.getStore(NAMESPACE), settings.harness() == Lifecycle.PER_METHOD, noKeys);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close(context.getStore(NAMESPACE), true, settings(context).keys() == Keys.NONE);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == OperatorHarness.class || type == LeakGuard.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (settings(context).harness() == Lifecycle.PER_METHOD && context.getTestMethod().isPresent()
        && context.getStore(NAMESPACE).get(HARNESS) == null) {
      open(context, true);
    }
    Object value = context.getStore(NAMESPACE).get(type == OperatorHarness.class ? HARNESS : GUARD);
    if (value == null) {
      throw new ParameterResolutionException("no " + type.getSimpleName() + " here: see the lifecycles of @MockApiServer");
    }
    return value;
  }

  private static void open(ExtensionContext context, boolean guard) {
    OperatorHarness h = new OperatorHarness();
    context.getStore(NAMESPACE).put(HARNESS, h);
    if (guard) {
      // Before the operator starts: its start-up lines are checked too.
      context.getStore(NAMESPACE).put(GUARD, LeakGuard.watch(h));
    }
  }

  /**
   * Checks and closes the guard of this scope, if it has one, then its harness, even when the check
   * fails. The check: no key made where none should be; else none shown.
   */
  private static void close(ExtensionContext.Store store, boolean harnessToo, boolean noKeys) {
    LeakGuard guard = store.remove(GUARD, LeakGuard.class);
    OperatorHarness h = harnessToo ? store.remove(HARNESS, OperatorHarness.class) : null;
    try {
      if (guard != null && noKeys) {
        guard.assertNoKeys();
      } else if (guard != null) {
        guard.assertNoLeaks();
      }
    } finally {
      try {
        if (guard != null) {
          guard.close();
        }
      } finally {
        if (h != null) {
          h.close();
        }
      }
    }
  }

  private static MockApiServer settings(ExtensionContext context) {
    return AnnotationSupport.findAnnotation(context.getRequiredTestClass(), MockApiServer.class)
        .orElseThrow(() -> new ExtensionConfigurationException("use @MockApiServer"));
  }
}
