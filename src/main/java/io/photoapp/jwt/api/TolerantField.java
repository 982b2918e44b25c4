package io.photoapp.jwt.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Objects;

/**
 * Reads a JwtSecret's spec or status so that a wrong-typed field ({@code key.length: "abc"},
 * {@code restart.targets: {}}) reads as absent and is noted on the JwtSecret, which then reports it
 * as InvalidSpec, instead of failing the read. On a cluster whose CRD has no schema, a failed read
 * stops the informer and with it the operator, for every JwtSecret.
 */
public final class TolerantField extends StdDeserializer<Object> implements ContextualDeserializer {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper FALLBACK = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private final transient JavaType type;

  public TolerantField() {
    this(null);
  }

  private TolerantField(JavaType type) {
    super(Object.class);
    this.type = type;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
    return new TolerantField(Objects.requireNonNull(property, "TolerantField is for properties").getType());
  }

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    // The property read: for a value that starts an object, the parser names the field that holds it.
    String root = Objects.requireNonNullElse(p.currentName(), "spec");
    JwtSecret owner = owner(p);
    JsonNode tree = ctxt.readTree(p);
    UnreadableFields unreadable = new UnreadableFields();
    Object value;
    try {
      value = reader(p).forType(type).withValueToUpdate(null)
          .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .withHandler(unreadable)
          .withAttribute(UnreadableFields.ATTRIBUTE, unreadable)
          .readValue(tree);
    } catch (IOException | RuntimeException e) {
      // What the handler cannot mend (none known): the whole field reads as absent. The
      // exception's message may quote the value, so only its path is kept.
      unreadable.add(pathOf(e), "cannot be read");
      value = null;
    }
    if (value instanceof JwtSecretSpec spec) {
      dropUnreadElements(spec);
    }
    if (owner != null) {
      for (UnreadableField f : unreadable.found()) {
        owner.noteUnreadable(new UnreadableField(root + f.path(), f.problem()));
      }
    }
    return value;
  }

  private static ObjectReader reader(JsonParser p) {
    Object codec = p.getCodec();
    if (codec instanceof ObjectReader r) {
      return r;
    }
    return (codec instanceof ObjectMapper m ? m : FALLBACK).reader();
  }

  private static String pathOf(Exception e) {
    if (!(e instanceof com.fasterxml.jackson.databind.JsonMappingException m)) {
      return "";
    }
    StringBuilder path = new StringBuilder();
    for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : m.getPath()) {
      path.append(r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]");
    }
    return path.length() > 120 ? path.substring(0, 120) + "..." : path.toString();
  }

  /** The JwtSecret whose field this is, as the reader of the enclosing object recorded it. */
  private static JwtSecret owner(JsonParser p) {
    for (JsonStreamContext c = p.getParsingContext(); c != null; c = c.getParent()) {
      if (c.getCurrentValue() instanceof JwtSecret js) {
        return js;
      }
    }
    return null;
  }

  /** List elements and map values that could not be read are dropped rather than kept as null. */
  private static void dropUnreadElements(JwtSecretSpec spec) {
    if (spec.push != null) {
      spec.push = new ArrayList<>(spec.push);
      spec.push.removeIf(Objects::isNull);
    }
    if (spec.restart == null || spec.restart.targets == null) {
      return;
    }
    spec.restart.targets = new ArrayList<>(spec.restart.targets);
    spec.restart.targets.removeIf(Objects::isNull);
    for (RestartTarget t : spec.restart.targets) {
      if (t.selector == null) {
        continue;
      }
      if (t.selector.matchLabels != null) {
        t.selector.matchLabels = new java.util.LinkedHashMap<>(t.selector.matchLabels);
        t.selector.matchLabels.values().removeIf(Objects::isNull);
      }
      if (t.selector.matchExpressions != null) {
        t.selector.matchExpressions = new ArrayList<>(t.selector.matchExpressions);
        t.selector.matchExpressions.removeIf(Objects::isNull);
        for (SelectorRequirement r : t.selector.matchExpressions) {
          if (r.values != null) {
            r.values = new ArrayList<>(r.values);
            r.values.removeIf(Objects::isNull);
          }
        }
      }
    }
  }
}
