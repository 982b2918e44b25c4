package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** What one external store holds, as the operator last pushed it, and how pushing to it fares. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PushStatus {
  @JsonPropertyDescription("The store, e.g. vault:https://vault:8200/secret/photoapp/jwt, aws:eu-west-1/photoapp-jwt, azure:photoapp.vault.azure.net/photoapp-jwt.")
  public String target;

  @JsonPropertyDescription("Key ids the store holds, current first, as last pushed.")
  public String keySet;

  @JsonPropertyDescription("When the store last received a key set.")
  public String lastPushTime;

  @JsonPropertyDescription("When the store's content was last read back and compared with the key set (every resyncInterval).")
  public String lastCheckTime;

  @JsonPropertyDescription("When the store was found to differ from the key set (edited by hand, rolled back), until it is rewritten.")
  public String driftDetectedTime;

  @JsonPropertyDescription("When the store was last rewritten because its content had drifted.")
  public String lastDriftRepairTime;

  @JsonPropertyDescription("Key ids that could not be pushed yet, while pushes fail.")
  public String pendingKeySet;

  @JsonPropertyDescription("Failed pushes in a row; the next is tried after 10s, doubling up to 10m.")
  public Integer failures;

  @JsonPropertyDescription("When the last push failed.")
  public String lastFailureTime;

  @JsonPropertyDescription("When the next push is tried.")
  public String nextAttemptTime;

  @JsonPropertyDescription("Why the last push failed, CamelCase.")
  public String reason;

  @JsonPropertyDescription("What the store or the client said; never a key or a credential.")
  public String message;
}
