package io.photoapp.jwt.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Reads a store's spec so that a wrong-typed field reads as an unusable spec that names the field
 * ({@code InvalidStore}), instead of failing the read: on a cluster whose CRD has no schema, a failed
 * read would stop the store informer and with it the operator.
 */
public final class TolerantStoreSpec extends StdDeserializer<Object> implements ContextualDeserializer {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final transient JavaType type;

  public TolerantStoreSpec() {
    this(null);
  }

  private TolerantStoreSpec(JavaType type) {
    super(Object.class);
    this.type = type;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
    return new TolerantStoreSpec(Objects.requireNonNull(property, "TolerantStoreSpec is for properties").getType());
  }

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode tree = ctxt.readTree(p);
    try {
      return MAPPER.readerFor(type).readValue(tree);
    } catch (JsonMappingException e) {
      StoreSpec unreadable = type.getRawClass() == ClusterStoreSpec.class ? new ClusterStoreSpec() : new StoreSpec();
      unreadable.unreadable = "spec" + e.getPath().stream()
          .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining());
      return unreadable;
    }
  }
}
