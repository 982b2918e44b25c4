package io.photoapp.jwt.push;

import com.azure.core.credential.TokenCredential;
import com.azure.identity.ClientAssertionCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.util.function.Supplier;

/** How a store's Azure identity becomes a credential of the Azure SDK. */
public interface AzureCredentials {
  /** A service principal with a client secret. */
  TokenCredential clientSecret(String tenantId, String clientId, String secret);

  /** Workload identity: a ServiceAccount token, minted when Entra ID asks, as the client assertion. */
  TokenCredential clientAssertion(String tenantId, String clientId, Supplier<String> assertion);

  /** The operator's own pod identity (cluster stores only). */
  TokenCredential operator();

  /** The Azure SDK's credentials. */
  static AzureCredentials sdk() {
    return new AzureCredentials() {
      private volatile TokenCredential own;

      @Override
      public TokenCredential clientSecret(String tenantId, String clientId, String secret) {
        return new ClientSecretCredentialBuilder().tenantId(tenantId).clientId(clientId).clientSecret(secret).build();
      }

      @Override
      public TokenCredential clientAssertion(String tenantId, String clientId, Supplier<String> assertion) {
        return new ClientAssertionCredentialBuilder().tenantId(tenantId).clientId(clientId).clientAssertion(assertion).build();
      }

      @Override
      public TokenCredential operator() {
        if (own == null) {
          own = new DefaultAzureCredentialBuilder().build();
        }
        return own;
      }
    };
  }
}
