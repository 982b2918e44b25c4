package io.photoapp.jwt.cli;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.photoapp.jwt.kube.OperatorSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The kubectl-style connection options of the on-call commands: {@code --kubeconfig}, {@code --context}, {@code -n}. */
public final class KubeOptions {
  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else the in-cluster config).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context to use (default: the current context).")
  String context;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "Namespace (default: the context's namespace, else default).")
  String namespace;

  /** A client that gives up after one retry, so that an unreachable API server is reported in seconds. */
  KubernetesClient connect() {
    Config config = config();
    config.setRequestRetryBackoffLimit(1);
    return new KubernetesClientBuilder().withConfig(config).withKubernetesSerialization(OperatorSerialization.create())
        .withHttpClientBuilderConsumer(http -> io.photoapp.jwt.kube.ClusterTrust.install(http, config)).build();
  }

  private Config config() {
    Config config;
    if (kubeconfig != null) {
      if (!Files.isReadable(kubeconfig)) {
        throw new CliError("kubeconfig " + kubeconfig + " does not exist or cannot be read");
      }
      config = Config.fromKubeconfig(context, kubeconfig.toFile());
    } else {
      config = Config.autoConfigure(context);
    }
    // fabric8 falls back to the current context for an unknown name; kubectl refuses, and so do we.
    if (context != null) {
      List<NamedContext> contexts = config.getContexts() == null ? List.of() : config.getContexts();
      if (contexts.stream().noneMatch(c -> context.equals(c.getName()))) {
        throw new CliError("context \"" + context + "\" not found in the kubeconfig");
      }
    }
    return config;
  }

  boolean namespaceGiven() {
    return namespace != null;
  }

  /** {@code -n}, else the context's namespace, else {@code default}. */
  String namespace(KubernetesClient client) {
    if (namespace != null) {
      return namespace;
    }
    String fromContext = client.getConfiguration().getNamespace();
    return fromContext == null || fromContext.isBlank() ? "default" : fromContext;
  }
}
