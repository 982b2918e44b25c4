package io.photoapp.jwt.push;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.photoapp.jwt.api.ClusterStoreSpec;
import io.photoapp.jwt.api.StoreCondition;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Whether a cluster store's {@code spec.conditions} admit a namespace: any entry matching is enough; no entry admits none. */
public final class NamespaceMatch {
  private NamespaceMatch() {}

  public static boolean admits(ClusterStoreSpec spec, String namespace, Map<String, String> labels) {
    if (spec == null || spec.conditions == null) {
      return false;
    }
    return spec.conditions.stream().filter(Objects::nonNull).anyMatch(c -> matches(c, namespace, labels));
  }

  static boolean matches(StoreCondition c, String namespace, Map<String, String> labels) {
    if (c.namespaces == null && c.namespaceSelector == null) {
      return false;
    }
    boolean byName = c.namespaces == null || c.namespaces.contains(namespace);
    boolean byLabels = c.namespaceSelector == null
        || (selectorProblem(c.namespaceSelector).isEmpty() && selects(c.namespaceSelector, labels == null ? Map.of() : labels));
    return byName && byLabels;
  }

  /** A label selector as the API server evaluates it. */
  static boolean selects(LabelSelector selector, Map<String, String> labels) {
    if (selector.getMatchLabels() != null) {
      for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
        if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String value = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean ok = switch (r.getOperator()) {
          case "In" -> value != null && values.contains(value);
          case "NotIn" -> value == null || !values.contains(value);
          case "Exists" -> labels.containsKey(r.getKey());
          case "DoesNotExist" -> !labels.containsKey(r.getKey());
          default -> false;
        };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }

  /** Why a selector cannot be evaluated (an unknown operator, In without values); such a selector admits nothing. */
  static Optional<String> selectorProblem(LabelSelector selector) {
    if (selector.getMatchExpressions() == null) {
      return Optional.empty();
    }
    for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
      String op = r.getOperator();
      if (r.getKey() == null || r.getKey().isBlank()) {
        return Optional.of("matchExpressions need a key");
      }
      if (!List.of("In", "NotIn", "Exists", "DoesNotExist").contains(String.valueOf(op))) {
        return Optional.of("operator must be In, NotIn, Exists or DoesNotExist");
      }
      boolean hasValues = r.getValues() != null && !r.getValues().isEmpty();
      if (("In".equals(op) || "NotIn".equals(op)) != hasValues) {
        return Optional.of("In and NotIn need values; Exists and DoesNotExist take none");
      }
    }
    return Optional.empty();
  }
}
