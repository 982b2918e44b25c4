package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Whether a store's spec can be used; written by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("The kind of secret manager: Vault, AWSSecretsManager or AzureKeyVault.")
  public String provider;

  @JsonPropertyDescription("Ready (reasons Valid, InvalidStore, AuthUnavailable).")
  public List<Condition> conditions = new ArrayList<>();
}
