package io.photoapp.jwt.kube;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.ClassStack;
import com.fasterxml.jackson.databind.type.TypeBindings;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.fasterxml.jackson.databind.util.LRUMap;
import io.fabric8.kubernetes.api.builder.Editable;
import java.util.ArrayList;
import java.util.List;

/**
 * Jackson's types of the Kubernetes model without their builders. Every model class implements
 * {@code Editable<ItsBuilder>}; Jackson resolves the generic interfaces of each type it meets, which loads the
 * builder and, as its superclass, the builder's fluent base: two large classes per model class, which the
 * operator's reads never use (on a Deployment, about 120 of them). Here {@link Editable} is left out of a model
 * class's interfaces. No annotation of Jackson's is on it, and nothing the operator reads needs it; a model class
 * that also implements a generic interface (a list: {@code KubernetesResourceList<T>}) is resolved as before.
 */
final class ModelTypes extends TypeFactory {
  private static final String MODEL = "io.fabric8.kubernetes.api.model.";

  ModelTypes() {
    super(new LRUMap<>(16, 200));
  }

  @Override
  protected JavaType[] _resolveSuperInterfaces(ClassStack context, Class<?> rawType, TypeBindings parentBindings) {
    if (rawType.getName().startsWith(MODEL)) {
      Class<?>[] interfaces = rawType.getInterfaces();
      boolean editable = false;
      boolean generic = false;
      for (Class<?> i : interfaces) {
        if (i == Editable.class) {
          editable = true;
        } else if (i.getTypeParameters().length > 0) {
          generic = true;
        }
      }
      if (editable && !generic) {
        List<JavaType> types = new ArrayList<>(interfaces.length);
        for (Class<?> i : interfaces) {
          if (i != Editable.class) {
            types.add(_fromAny(context, i, parentBindings));
          }
        }
        return types.toArray(new JavaType[0]);
      }
    }
    return super._resolveSuperInterfaces(context, rawType, parentBindings);
  }
}
