package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** A store for several namespaces: which namespaces may use it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterStoreSpec extends StoreSpec {
  @Size(max = 32)
  @JsonPropertyDescription("The namespaces whose JwtSecrets may use this store: a namespace may if any entry matches it. No entry: none may.")
  public List<StoreCondition> conditions;
}
