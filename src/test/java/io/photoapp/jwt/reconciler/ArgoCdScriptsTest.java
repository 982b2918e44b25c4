package io.photoapp.jwt.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretSpec;
import io.photoapp.jwt.api.JwtSecretStatus;
import io.photoapp.jwt.api.Phase;
import io.photoapp.jwt.api.RestartSpec;
import io.photoapp.jwt.api.RestartTarget;
import io.photoapp.jwt.api.TargetKind;
import io.photoapp.jwt.keys.KeyValue;
import io.photoapp.jwt.restart.RolloutAssessment;
import io.photoapp.jwt.rotation.KeyState;
import io.photoapp.jwt.rotation.StoredKey;
import io.photoapp.jwt.spec.EffectiveSpec;
import io.photoapp.jwt.spec.SpecResolver;
import io.photoapp.jwt.status.Conditions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check and rotate action (gitops/argocd), run by LuaJ against statuses built by
 * the operator's own StatusDraft: every phase and every condition combination it writes.
 */
class ArgoCdScriptsTest {
  static final Path ARGOCD = Path.of("gitops", "argocd");
  static final Instant NOW = Instant.parse("2026-12-02T06:00:00Z");
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** A JwtSecret at generation 3 with one Deployment target, and the status the operator writes for it. */
  static JwtSecret sample(Phase phase, long observedGeneration, Consumer<Draft> writes) {
    JwtSecret js = new JwtSecret();
    js.setMetadata(new ObjectMetaBuilder().withName("photoapp-jwt").withNamespace("photoapp").withGeneration(3L).build());
    js.setSpec(new JwtSecretSpec());
    js.getSpec().environment = Environment.PRODUCTION;
    RestartTarget target = new RestartTarget();
    target.kind = TargetKind.Deployment;
    target.name = "photoapp-backend";
    js.getSpec().restart = new RestartSpec();
    js.getSpec().restart.targets = List.of(target);
    JwtSecretStatus old = new JwtSecretStatus();
    old.phase = phase;
    StatusDraft draft = new StatusDraft(old, observedGeneration, NOW);
    EffectiveSpec spec = SpecResolver.resolve(js).spec();
    StoredKey current = StoredKey.of(KeyValue.of("k".repeat(64)), Algorithm.HS256, NOW.minus(Duration.ofDays(1)));
    StoredKey next = StoredKey.of(KeyValue.of("n".repeat(64)), Algorithm.HS256, NOW.minus(Duration.ofHours(1)));
    KeyState state = new KeyState(phase, current, phase == Phase.Publishing ? Optional.of(next) : Optional.empty(),
        Optional.empty(), Optional.empty(), current.createdAt(), "Scheduled", 1);
    draft.keys(state, NOW.plus(Duration.ofDays(179)));
    writes.accept(new Draft(draft, spec, state));
    js.setStatus(draft.build());
    return js;
  }

  /** What a reconcile writes, through StatusDraft's own methods. */
  record Draft(StatusDraft draft, EffectiveSpec spec, KeyState state) {
    Draft ready() {
      draft.ready(true, Conditions.SECRET_READY, "key is current");
      draft.policy(List.of());
      return this;
    }

    Draft rolledOut() {
      draft.rollout(rollout(true, List.of(), List.of()), spec, state, NOW);
      return this;
    }

    Draft rollingOut() {
      draft.rollout(rollout(false, List.of(), List.of()), spec, state, NOW);
      return this;
    }

    Draft timedOut() {
      draft.rollout(rollout(false, List.of(), List.of()), spec, state, NOW.plus(Duration.ofHours(2)));
      return this;
    }

    Draft unsupported() {
      draft.rollout(rollout(false, List.of("Deployment photoapp-backend is paused"), List.of()), spec, state, NOW);
      return this;
    }

    Draft notOptedIn() {
      draft.rollout(rollout(true, List.of(), List.of("Deployment photoapp-backend")), spec, state, NOW);
      return this;
    }

    static RolloutAssessment rollout(boolean complete, List<String> unsupported, List<String> notOptedIn) {
      return new RolloutAssessment(List.of(), List.of(), complete, unsupported, List.of(), notOptedIn,
          complete ? List.of() : List.of("Deployment photoapp-backend"), List.of("Deployment photoapp-backend: 1/2 updated"),
          List.of());
    }
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(Named.of("Idle, Ready, rolled out", sample(Phase.Idle, 3, d -> d.ready().rolledOut())), "Healthy"),
        Arguments.of(Named.of("AwaitingApproval (approval: Manual)", sample(Phase.Publishing, 3, d -> {
          d.ready().rolledOut();
          d.draft().gate(io.photoapp.jwt.rotation.RotationDecision.gated(io.photoapp.jwt.rotation.RotationDecision.Gate.APPROVAL,
              "approval", Optional.empty()));
        })), "Suspended"),
        Arguments.of(Named.of("Idle, Ready, policy violated", sample(Phase.Idle, 3, d -> {
          d.ready().rolledOut();
          d.draft().compliant(false, Conditions.POLICY_VIOLATION, "token-lifetime: 90 minutes is over 60");
        })), "Healthy"),
        Arguments.of(Named.of("Publishing, rolling out", sample(Phase.Publishing, 3, d -> d.ready().rollingOut())), "Progressing"),
        Arguments.of(Named.of("Publishing, held by RolloutTimeout", sample(Phase.Publishing, 3, d -> d.ready().timedOut())),
            "Progressing"),
        Arguments.of(Named.of("Publishing, rolled out, waiting for propagationDelay",
            sample(Phase.Publishing, 3, d -> d.ready().rolledOut())), "Progressing"),
        Arguments.of(Named.of("Switching, rolling out", sample(Phase.Switching, 3, d -> d.ready().rollingOut())), "Progressing"),
        Arguments.of(Named.of("Switching, held by RolloutTimeout", sample(Phase.Switching, 3, d -> d.ready().timedOut())),
            "Progressing"),
        Arguments.of(Named.of("Retiring, rolled out", sample(Phase.Retiring, 3, d -> d.ready().rolledOut())), "Progressing"),
        Arguments.of(Named.of("Idle, retire rollout running", sample(Phase.Idle, 3, d -> d.ready().rollingOut())), "Progressing"),
        Arguments.of(Named.of("Idle, UnsupportedUpdateStrategy", sample(Phase.Idle, 3, d -> d.ready().unsupported())),
            "Progressing"),
        Arguments.of(Named.of("Idle, TargetNotOptedIn", sample(Phase.Idle, 3, d -> d.ready().notOptedIn())), "Progressing"),
        Arguments.of(Named.of("SecretConflict", sample(Phase.Idle, 3,
            d -> d.draft().ready(false, Conditions.SECRET_CONFLICT, "Secret photoapp-jwt exists and was not created by the operator"))),
            "Degraded"),
        Arguments.of(Named.of("InvalidSpec", sample(Phase.Idle, 3,
            d -> d.draft().ready(false, Conditions.INVALID_SPEC, "spec.rotation.schedule is not a cron expression"))), "Degraded"),
        Arguments.of(Named.of("PolicyViolation of the key", sample(Phase.Idle, 3, d -> {
          d.draft().ready(false, Conditions.POLICY_VIOLATION, "the key breaks the profile");
          d.rolledOut();
        })), "Degraded"),
        Arguments.of(Named.of("Ready status of generation 2, spec at 3", sample(Phase.Idle, 2, d -> d.ready().rolledOut())),
            "Progressing"),
        Arguments.of(Named.of("InvalidSpec of generation 2, spec at 3 (the fix not yet seen)", sample(Phase.Idle, 2,
            d -> d.draft().ready(false, Conditions.INVALID_SPEC, "bad schedule"))), "Progressing"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("statuses")
  void healthFollowsReadyPhaseRolloutAndGeneration(JwtSecret js, String expected) throws IOException {
    LuaValue hs = run(Files.readString(ARGOCD.resolve("health.lua")), js);
    assertThat(hs.get("status").tojstring()).isEqualTo(expected);
    assertThat(hs.get("message").isstring()).isTrue();
    if (expected.equals("Degraded")) {
      String reason = Conditions.find(js.getStatus().conditions, Conditions.READY).orElseThrow().getReason();
      assertThat(hs.get("message").tojstring()).contains(reason);
    }
  }

  @Test
  void aJwtSecretWithoutStatusIsProgressing() throws IOException {
    JwtSecret js = sample(Phase.Idle, 3, d -> { });
    js.setStatus(null);
    assertThat(run(Files.readString(ARGOCD.resolve("health.lua")), js).get("status").tojstring()).isEqualTo("Progressing");
  }

  @Test
  void rotateSetsRotateAfterToNowInUtc() throws IOException {
    JwtSecret js = sample(Phase.Idle, 3, d -> d.ready().rolledOut());
    js.getMetadata().setAnnotations(Map.of("team", "web"));
    LuaValue result = run(Files.readString(ARGOCD.resolve("rotate-action.lua")), js);
    LuaValue annotations = result.get("metadata").get("annotations");
    assertThat(Instant.parse(annotations.get("jwt.photoapp.io/rotate-after").tojstring())).isEqualTo(NOW);
    assertThat(annotations.get("team").tojstring()).isEqualTo("web");

    JwtSecret bare = sample(Phase.Idle, 3, d -> d.ready().rolledOut());
    LuaValue created = run(Files.readString(ARGOCD.resolve("rotate-action.lua")), bare);
    assertThat(created.get("metadata").get("annotations").get("jwt.photoapp.io/rotate-after").tojstring()).isEqualTo(NOW.toString());
  }

  @Test
  void discoveryOffersRotate() throws IOException {
    LuaValue actions = run(Files.readString(ARGOCD.resolve("rotate-discovery.lua")), sample(Phase.Idle, 3, d -> d.ready()));
    assertThat(actions.get("rotate").istable()).isTrue();
  }

  @Test
  void theArgocdCmSnippetCarriesTheScriptsAsTheyAreTested() throws IOException {
    JsonNode cm = new ObjectMapper(new YAMLFactory()).readTree(ARGOCD.resolve("argocd-cm.yaml").toFile());
    assertThat(cm.path("metadata").path("name").asText()).isEqualTo("argocd-cm");
    JsonNode data = cm.path("data");
    assertThat(data.path("resource.customizations.health.jwt.photoapp.io_JwtSecret").asText())
        .isEqualTo(Files.readString(ARGOCD.resolve("health.lua")));
    JsonNode actions = new ObjectMapper(new YAMLFactory())
        .readTree(data.path("resource.customizations.actions.jwt.photoapp.io_JwtSecret").asText());
    assertThat(actions.path("discovery.lua").asText()).isEqualTo(Files.readString(ARGOCD.resolve("rotate-discovery.lua")));
    assertThat(actions.path("definitions").get(0).path("name").asText()).isEqualTo("rotate");
    assertThat(actions.path("definitions").get(0).path("action.lua").asText())
        .isEqualTo(Files.readString(ARGOCD.resolve("rotate-action.lua")));
  }

  /** Runs {@code script} with {@code obj} set to the object as Argo CD passes it, with the clock at {@link #NOW}. */
  static LuaValue run(String script, JwtSecret js) throws IOException {
    Globals globals = JsePlatform.standardGlobals();
    LuaValue os = globals.get("os");
    LuaValue date = os.get("date");
    // os.date with the time the test chooses: no wall clock.
    os.set("date", new VarArgFunction() {
      @Override
      public Varargs invoke(Varargs args) {
        return date.call(args.arg1(), LuaValue.valueOf(NOW.getEpochSecond()));
      }
    });
    globals.set("obj", toLua(new ObjectMapper().readTree(SERIALIZATION.asJson(js))));
    return globals.load(script, "script").call();
  }

  static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          table.set(e.getKey(), toLua(e.getValue()));
        }
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.asLong());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    return LuaValue.valueOf(node.asText());
  }
}
