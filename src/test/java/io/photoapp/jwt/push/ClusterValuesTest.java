package io.photoapp.jwt.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster side of a store's identity, against a mock API server that mints whatever it is asked. */
class ClusterValuesTest {
  /** The API server's audience on GKE: a name StoreCheck's list of the usual ones cannot know. */
  static final String GKE_API = "https://container.googleapis.com/v1/projects/p/locations/europe-west1/clusters/c";
  static final String MINTED = "minted.for.pusher";
  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir
  Path dir;

  @BeforeEach
  void start() {
    server = new KubernetesMockServer(false);
    server.init();
    server.expect().post().withPath("/api/v1/namespaces/photoapp/serviceaccounts/jwt-pusher/token")
        .andReturn(201, new TokenRequestBuilder().withNewStatus().withToken(MINTED).endStatus().build()).always();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    client.close();
    server.destroy();
  }

  /** A token as the kubelet mounts it: only its claims matter here. */
  private Path operatorToken(String claims) throws Exception {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    Path token = dir.resolve("token");
    Files.writeString(token, b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".c2ln\n");
    return token;
  }

  /**
   * A namespace's store admin gives the cluster's real API audience, which passes StoreCheck's list
   * (it names kubernetes.default.svc and the like): the operator would mint a token its Vault or STS
   * address receives and that the API server accepts as the ServiceAccount. The operator's own token
   * carries the API server's audiences, so those are refused whatever the cluster calls them.
   */
  @Test
  void aTokenIsNeverMintedForTheApiServersOwnAudienceWhateverTheClusterCallsIt() throws Exception {
    String vault = "{vault: {address: 'https://vault.tenant.example', pathPrefix: p, auth: {kubernetes: {role: r,"
        + " serviceAccountRef: {name: jwt-pusher, audiences: ['" + GKE_API + "']}}}}}";
    assertThat(StoreCheck.check(StoreFixtures.store("photoapp", "s", vault).getSpec(), false, false).problems())
        .as("StoreCheck knows only the usual names").isEmpty();
    ClusterValues values = ClusterValues.of(client, operatorToken("{\"aud\":[\"" + GKE_API + "\"],\"sub\":\"x\"}"));

    assertThatThrownBy(() -> values.serviceAccountToken("photoapp", "jwt-pusher", List.of("vault", GKE_API)))
        .isInstanceOfSatisfying(PushException.class, e -> {
          assertThat(e.reason()).isEqualTo(PushException.Reason.ConfigurationError);
          assertThat(e.getMessage()).contains("API server's own audience").doesNotContain(MINTED);
        });
    assertThat(server.getRequestCount()).as("nothing minted").isZero();
    assertThat(values.serviceAccountToken("photoapp", "jwt-pusher", List.of("vault"))).isEqualTo(MINTED);
  }

  @Test
  void theApiAudiencesAreReadFromTheOperatorsTokenAsAStringOrAListAndAreNoneWithoutIt() throws Exception {
    assertThat(ClusterValues.apiAudiences(operatorToken("{\"aud\":\"https://k\"}"))).containsExactly("https://k");
    assertThat(ClusterValues.apiAudiences(operatorToken("{\"aud\":[\"a\",\"b\"]}"))).containsExactly("a", "b");
    assertThat(ClusterValues.apiAudiences(dir.resolve("missing"))).isEmpty();
    Files.writeString(dir.resolve("garbage"), "not a token");
    assertThat(ClusterValues.apiAudiences(dir.resolve("garbage"))).isEmpty();
  }
}
