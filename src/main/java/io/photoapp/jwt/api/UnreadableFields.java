package io.photoapp.jwt.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Collects the fields that one read of a JwtSecret's spec or status could not read, and is the
 * Jackson problem handler that makes such a field read as absent instead of failing the whole
 * object: a failure would stop the informer, and the SDK the operator, for one bad JwtSecret.
 * Problems say what kind of value was found and what was wanted, never the value.
 */
final class UnreadableFields extends DeserializationProblemHandler {
  /** The reader attribute under which the collector of the current read is found. */
  static final Object ATTRIBUTE = UnreadableFields.class;
  /** Longest path kept: a map key in a path comes from the user. */
  private static final int MAX_PATH = 120;
  /** Problems kept per read; a hostile object may have thousands. */
  private static final int MAX_FIELDS = 20;

  private final List<UnreadableField> found = new ArrayList<>();

  List<UnreadableField> found() {
    return List.copyOf(found);
  }

  /** Notes a problem at the parser's current field, relative to the root read. */
  void add(JsonParser p, String problem) {
    add(pathOf(p), problem);
  }

  void add(String path, String problem) {
    if (found.size() < MAX_FIELDS) {
      found.add(new UnreadableField(path, problem));
    }
  }

  @Override
  public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
      String failureMsg) {
    add(ctxt.getParser(), "is a string, not " + wanted(ctxt.constructType(targetType)));
    return null;
  }

  @Override
  public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
      String failureMsg) {
    add(ctxt.getParser(), "is a number, not " + wanted(ctxt.constructType(targetType)));
    return null;
  }

  @Override
  public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t, JsonParser p,
      String failureMsg) throws IOException {
    add(p, "is " + found(p.currentToken()) + ", not " + wanted(targetType));
    p.skipChildren();
    return null;
  }

  @Override
  public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass, ValueInstantiator valueInsts,
      JsonParser p, String msg) throws IOException {
    add(p, "is " + found(p.currentToken()) + ", not " + wanted(ctxt.constructType(instClass)));
    p.skipChildren();
    return null;
  }

  @Override
  public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
      com.fasterxml.jackson.databind.JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName)
      throws IOException {
    // A field of a newer version: ignored, as the schema of an older CRD would prune it.
    p.skipChildren();
    return true;
  }

  /** The collector of the read in progress, if the read is one. */
  static UnreadableFields of(DeserializationContext ctxt) {
    return ctxt.getAttribute(ATTRIBUTE) instanceof UnreadableFields u ? u : null;
  }

  private static String found(JsonToken token) {
    if (token == null) {
      return "nothing";
    }
    return switch (token) {
      case START_OBJECT, FIELD_NAME -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT -> "a whole number";
      case VALUE_NUMBER_FLOAT -> "a number with a fraction";
      case VALUE_TRUE, VALUE_FALSE -> "true or false";
      case VALUE_NULL -> "null";
      default -> "a value of another kind";
    };
  }

  private static String wanted(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (type.isCollectionLikeType() || type.isArrayType() || Collection.class.isAssignableFrom(raw)) {
      return "a list";
    }
    if (type.isMapLikeType() || Map.class.isAssignableFrom(raw)) {
      return "a map";
    }
    if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(raw)) {
      return "a number";
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return "true or false";
    }
    if (raw == String.class) {
      return "a string";
    }
    if (raw.isEnum()) {
      return "one of its names";
    }
    return "an object";
  }

  /** The path of the parser's current value, from the root of the read: "key.length", "restart.targets[0]". */
  static String pathOf(JsonParser p) {
    JsonStreamContext c = p.getParsingContext();
    if (c != null && p.currentToken() != null && p.currentToken().isStructStart()) {
      // The parser has entered the value already; its field is named by the context around it.
      c = c.getParent();
    }
    List<String> segments = new ArrayList<>();
    for (; c != null; c = c.getParent()) {
      if (c.inArray()) {
        segments.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
      } else if (c.inObject() && c.getCurrentName() != null) {
        segments.add(0, "." + safe(c.getCurrentName()));
      }
    }
    String path = String.join("", segments);
    return path.length() > MAX_PATH ? path.substring(0, MAX_PATH) + "..." : path;
  }

  /** A field name as it may appear in a log line: printable, no quotes or line breaks. */
  private static String safe(String name) {
    StringBuilder out = new StringBuilder(Math.min(name.length(), MAX_PATH));
    for (int i = 0; i < name.length() && out.length() < MAX_PATH; i++) {
      char ch = name.charAt(i);
      out.append(ch > 0x20 && ch < 0x7f && ch != '"' && ch != '\\' ? ch : '?');
    }
    return out.toString();
  }
}
