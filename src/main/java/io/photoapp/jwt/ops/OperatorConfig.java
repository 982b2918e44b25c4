package io.photoapp.jwt.ops;

import java.util.Set;

/**
 * How the running operator is configured (DESIGN section 7).
 *
 * @param namespaces watched namespaces; empty means all
 */
public record OperatorConfig(
    Set<String> namespaces,
    int metricsPort,
    String fieldManager,
    boolean leaderElection,
    String leaseName,
    String leaseNamespace) {
  public static final String DEFAULT_FIELD_MANAGER = "jwt-secret-operator";

  public static OperatorConfig defaults() {
    return new OperatorConfig(Set.of(), 8080, DEFAULT_FIELD_MANAGER, false, "jwt-secret-operator", "default");
  }

  public OperatorConfig withNamespaces(Set<String> ns) {
    return new OperatorConfig(ns, metricsPort, fieldManager, leaderElection, leaseName, leaseNamespace);
  }

  public OperatorConfig withMetricsPort(int port) {
    return new OperatorConfig(namespaces, port, fieldManager, leaderElection, leaseName, leaseNamespace);
  }
}
