package io.photoapp.jwt.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.photoapp.jwt.api.ClusterJwtSecretStore;
import io.photoapp.jwt.api.JwtSecretStore;
import io.photoapp.jwt.api.StoreSpec;
import io.photoapp.jwt.api.StoreStatus;
import io.photoapp.jwt.kube.JsonMergePatch;
import io.photoapp.jwt.push.ClusterValues;
import io.photoapp.jwt.push.PushException;
import io.photoapp.jwt.push.StoreReadiness;
import io.photoapp.jwt.status.Conditions;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports whether a store can be used: condition Ready (Valid, InvalidStore, AuthUnavailable),
 * observedGeneration and the provider. A store whose credential is missing is looked at again every
 * minute, since the Secret it names is not watched.
 */
public abstract class StoreStatusReconciler<S extends CustomResource<? extends StoreSpec, StoreStatus>> implements Reconciler<S> {
  private static final Logger LOG = LoggerFactory.getLogger(StoreStatusReconciler.class);
  static final Duration AUTH_RECHECK = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final Clock clock;
  private final boolean allowInsecure;
  private final ClusterValues values;

  StoreStatusReconciler(KubernetesClient client, Clock clock, boolean allowInsecure, ClusterValues values) {
    this.client = client;
    this.clock = clock;
    this.allowInsecure = allowInsecure;
    this.values = values;
  }

  abstract boolean cluster();

  @Override
  public UpdateControl<S> reconcile(S store, Context<S> context) {
    StoreReadiness.Verdict verdict = StoreReadiness.judge(store.getSpec(), cluster(), allowInsecure,
        store.getMetadata().getNamespace(), new StoreReadiness.CredentialLookup() {
          @Override
          public boolean present(StoreReadiness.CredentialRef ref) {
            try {
              return ref.namespace() != null && values.secret(ref.namespace(), ref.name(), ref.key())
                  .map(v -> !v.isBlank()).orElse(false);
            } catch (PushException e) {
              return false;
            }
          }

          @Override
          public boolean operatorTokenPresent() {
            try {
              return !values.operatorToken().isEmpty();
            } catch (PushException e) {
              return false;
            }
          }
        });
    StoreStatus old = store.getStatus() == null ? new StoreStatus() : store.getStatus();
    StoreStatus status = new StoreStatus();
    status.observedGeneration = store.getMetadata().getGeneration();
    status.provider = verdict.provider().map(p -> p.display()).orElse(null);
    status.conditions = Conditions.set(old.conditions, Conditions.READY, verdict.ready(), verdict.reason(), verdict.message(),
        store.getMetadata().getGeneration(), clock.instant());
    write(store, old, status);
    if (!verdict.ready()) {
      LOG.info("{} {}{} is not ready: {}: {}", store.getKind(), store.getMetadata().getNamespace() == null ? ""
          : store.getMetadata().getNamespace() + "/", store.getMetadata().getName(), verdict.reason(), verdict.message());
    }
    UpdateControl<S> control = UpdateControl.noUpdate();
    if (StoreReadiness.AUTH_UNAVAILABLE.equals(verdict.reason())) {
      control.rescheduleAfter(AUTH_RECHECK);
    }
    return control;
  }

  @SuppressWarnings("unchecked")
  private void write(S store, StoreStatus old, StoreStatus status) {
    JsonNode before = Serialization.jsonMapper().valueToTree(old);
    JsonNode after = Serialization.jsonMapper().valueToTree(status);
    ObjectNode diff = JsonMergePatch.diff(before, after);
    if (diff.isEmpty() || Objects.equals(before, after)) {
      return;
    }
    ObjectNode patch = Serialization.jsonMapper().createObjectNode();
    patch.set("status", diff);
    var resources = client.resources((Class<S>) store.getClass());
    var op = store.getMetadata().getNamespace() == null ? resources.resource(store)
        : resources.inNamespace(store.getMetadata().getNamespace()).resource(store);
    op.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
  }

  /** JwtSecretStores. */
  @ControllerConfiguration(name = "jwtsecretstore")
  static final class Namespaced extends StoreStatusReconciler<JwtSecretStore> implements Reconciler<JwtSecretStore> {
    Namespaced(KubernetesClient client, Clock clock, boolean allowInsecure, ClusterValues values) {
      super(client, clock, allowInsecure, values);
    }

    @Override
    boolean cluster() {
      return false;
    }
  }

  /** ClusterJwtSecretStores. */
  @ControllerConfiguration(name = "clusterjwtsecretstore")
  static final class Cluster extends StoreStatusReconciler<ClusterJwtSecretStore>
      implements Reconciler<ClusterJwtSecretStore> {
    Cluster(KubernetesClient client, Clock clock, boolean allowInsecure, ClusterValues values) {
      super(client, clock, allowInsecure, values);
    }

    @Override
    boolean cluster() {
      return true;
    }
  }

  /** Registers the two controllers: JwtSecretStores in the watched namespaces, ClusterJwtSecretStores everywhere. */
  public static void register(io.javaoperatorsdk.operator.Operator operator, KubernetesClient client, Clock clock,
      boolean allowInsecure, java.util.Set<String> namespaces) {
    ClusterValues values = ClusterValues.of(client);
    operator.register(new Namespaced(client, clock, allowInsecure, values), o -> {
      if (!namespaces.isEmpty()) {
        o.settingNamespaces(namespaces);
      }
    });
    operator.register(new Cluster(client, clock, allowInsecure, values), o -> o.watchingAllNamespaces());
  }
}
