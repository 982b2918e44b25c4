package io.photoapp.jwt.api;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a real API server adds to the metadata of every object for its own bookkeeping, and that the
 * operator never reads: {@code managedFields} (which Jackson turns into nested maps, several KiB an
 * object), and kubectl's {@code last-applied-configuration} annotation (a copy of the applied object
 * as a string). The operator's clients skip managedFields as they read (kube.ReadFields); the kinds that
 * hold the last-applied copy drop both here, in their {@code setMetadata}, whatever mapper read them. An
 * update that carries no managedFields leaves the server's as they are, and every write of the operator is
 * a patch that names only the fields it changes.
 */
public final class ServerFields {
  /** The annotation {@code kubectl apply} keeps its three-way merge in. */
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private ServerFields() {}

  /** The metadata, its managedFields dropped in place. */
  public static ObjectMeta withoutManagedFields(ObjectMeta metadata) {
    if (metadata != null && metadata.getManagedFields() != null) {
      metadata.setManagedFields(null);
    }
    return metadata;
  }

  /**
   * The metadata without managedFields and without the last-applied annotation. Only for kinds that
   * the operator never writes with a PUT nor with a patch of its whole metadata (ArchitectureTest
   * holds every write to a patch of named fields): such a write would delete the annotation on the
   * server, and {@code kubectl apply} would then lose its three-way merge.
   */
  public static ObjectMeta withoutServerCopies(ObjectMeta metadata) {
    withoutManagedFields(metadata);
    Map<String, String> annotations = metadata == null ? null : metadata.getAnnotations();
    if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
      Map<String, String> kept = new LinkedHashMap<>(annotations);
      kept.remove(LAST_APPLIED);
      metadata.setAnnotations(kept);
    }
    return metadata;
  }
}
