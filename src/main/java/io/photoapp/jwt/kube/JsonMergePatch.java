package io.photoapp.jwt.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/** RFC 7386 JSON merge patches: the smallest patch that turns one document into another. */
public final class JsonMergePatch {
  private JsonMergePatch() {}

  /** A patch from {@code from} to {@code to}: removed fields become null, arrays are replaced whole. */
  public static ObjectNode diff(JsonNode from, JsonNode to) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    if (from != null && from.isObject()) {
      Iterator<String> names = from.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (to == null || !to.has(name) || to.get(name).isNull()) {
          if (!from.get(name).isNull()) {
            patch.putNull(name);
          }
        }
      }
    }
    if (to != null && to.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = to.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        JsonNode old = from == null ? null : from.get(field.getKey());
        JsonNode now = field.getValue();
        if (now.isNull() || Objects.equals(old, now)) {
          continue;
        }
        if (now.isObject() && old != null && old.isObject()) {
          patch.set(field.getKey(), diff(old, now));
        } else {
          patch.set(field.getKey(), now);
        }
      }
    }
    return patch;
  }
}
