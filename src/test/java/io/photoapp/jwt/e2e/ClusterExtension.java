package io.photoapp.jwt.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives E2E test classes the one {@link E2ECluster} of the run (started by the first class, closed
 * when the whole run ends), and after each class checks that the operator still runs and was never
 * refused an API call.
 */
public final class ClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ClusterExtension.class);

  /** Closes the cluster handle (stops the operator) when the root context closes. */
  private record Handle(E2ECluster cluster) implements AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }

  static E2ECluster cluster(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Handle.class, k -> {
      try {
        return new Handle(E2ECluster.start());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Handle.class).cluster();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    cluster(context).operator.assertHealthy();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == E2ECluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
    return cluster(extensionContext);
  }
}
