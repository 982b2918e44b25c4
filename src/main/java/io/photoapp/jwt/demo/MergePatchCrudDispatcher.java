package io.photoapp.jwt.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.util.Iterator;
import java.util.Map;

/**
 * The fabric8 mock server's CRUD dispatcher with JSON merge patches applied as RFC 7386 (and the
 * API server) does: an array in the patch replaces the array, a null removes the field. The stock
 * dispatcher merges with Jackson, which appends to arrays, so status.conditions and
 * status.workloads grew with every status patch and readers found stale entries first. And a watch
 * starts at the resource version it names ({@link WatchSince}): the stock dispatcher sent every
 * matching object again when a watch opened.
 */
public class MergePatchCrudDispatcher extends KubernetesCrudDispatcher {
  @Override
  public MockResponse handleWatch(String path) {
    MockResponse response = super.handleWatch(path);
    return response.getWebSocketListener() == null ? response
        : response.withWebSocketUpgrade(WatchSince.of(response.getWebSocketListener(), path));
  }

  @Override
  public JsonNode merge(JsonNode source, String patch) throws KubernetesCrudDispatcherException {
    try {
      return apply(source.deepCopy(), Serialization.jsonMapper().readTree(patch));
    } catch (JsonProcessingException e) {
      throw new KubernetesCrudDispatcherException(e.getOriginalMessage(), 422);
    }
  }

  /** RFC 7386 section 2, MergePatch(Target, Patch). */
  static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), apply(result.get(field.getKey()), field.getValue()));
      }
    }
    return result;
  }
}
