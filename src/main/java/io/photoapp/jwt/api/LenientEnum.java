package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an enum field of the spec without failing on a value this version of the operator does not
 * know (a newer CRD allows it, or the cluster has no schema): the field reads as null and the value is
 * noted on the JwtSecret, which reports it as InvalidSpec. Failing instead would make the informer
 * drop the watch, and the SDK stop the whole operator, for one bad JwtSecret.
 */
public final class LenientEnum extends StdDeserializer<Object> implements ContextualDeserializer {
  private static final long serialVersionUID = 1L;
  private final transient List<Enum<?>> constants;
  private final transient List<String> names;

  public LenientEnum() {
    this(List.of(), List.of());
  }

  private LenientEnum(List<Enum<?>> constants, List<String> names) {
    super(Object.class);
    this.constants = constants;
    this.names = names;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
    // contentUsing on a list of enums: the property's type is the list, its content the enum.
    com.fasterxml.jackson.databind.JavaType javaType = property == null ? null : property.getType();
    Class<?> type = javaType == null ? null
        : javaType.isContainerType() ? javaType.getContentType().getRawClass() : javaType.getRawClass();
    if (type == null || !type.isEnum()) {
      throw new IllegalStateException("LenientEnum is for enum fields, not " + type);
    }
    List<Enum<?>> values = new ArrayList<>();
    List<String> wire = new ArrayList<>();
    for (Object constant : type.getEnumConstants()) {
      Enum<?> e = (Enum<?>) constant;
      values.add(e);
      wire.add(wireName(e));
    }
    return new LenientEnum(values, wire);
  }

  private static String wireName(Enum<?> constant) {
    try {
      JsonProperty p = constant.getDeclaringClass().getField(constant.name()).getAnnotation(JsonProperty.class);
      return p != null && !p.value().isEmpty() ? p.value() : constant.name();
    } catch (NoSuchFieldException e) {
      return constant.name();
    }
  }

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonToken token = p.currentToken();
    String given;
    if (token == JsonToken.VALUE_STRING) {
      given = p.getText();
      int i = names.indexOf(given);
      if (i >= 0) {
        return constants.get(i);
      }
      given = "\"" + (given.length() > 40 ? given.substring(0, 40) + "..." : given) + "\"";
    } else {
      given = token.isStructStart() ? "an " + (token == JsonToken.START_OBJECT ? "object" : "array") : p.getText();
      p.skipChildren();
    }
    note(p, ctxt, "is not one of " + String.join(", ", names), given);
    return null;
  }

  /** Notes the problem, with the field's path, on the JwtSecret being read (if one is). */
  private static void note(JsonParser p, DeserializationContext ctxt, String problem, String given) {
    UnreadableFields read = UnreadableFields.of(ctxt);
    if (read != null) {
      // Read by TolerantField: the path is relative to the spec, which it notes on the JwtSecret.
      String path = UnreadableFields.pathOf(p);
      read.add(path, given + " " + problem);
      return;
    }
    List<String> segments = new ArrayList<>();
    for (JsonStreamContext c = p.getParsingContext(); c != null; c = c.getParent()) {
      if (c.inArray()) {
        segments.add(0, "[" + c.getCurrentIndex() + "]");
      } else if (c.inObject() && c.getCurrentName() != null) {
        segments.add(0, c.getCurrentName());
      }
      if (c.getCurrentValue() instanceof JwtSecret js) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
          path.append(segment.startsWith("[") || path.length() == 0 ? "" : ".").append(segment);
        }
        js.noteUnreadable(new UnreadableField(path.toString(), given + " " + problem));
        return;
      }
    }
  }
}
