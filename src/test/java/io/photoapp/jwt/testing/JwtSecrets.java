package io.photoapp.jwt.testing;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.DeletionPolicy;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.Environment;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretSpec;
import io.photoapp.jwt.api.KeySpec;
import io.photoapp.jwt.api.PushTarget;
import io.photoapp.jwt.api.RestartSpec;
import io.photoapp.jwt.api.RestartTarget;
import io.photoapp.jwt.api.RotationSpec;
import io.photoapp.jwt.api.RotationStrategy;
import io.photoapp.jwt.api.SecretSpec;
import io.photoapp.jwt.api.SecretTemplate;
import io.photoapp.jwt.api.StoreKind;
import io.photoapp.jwt.api.StoreRef;
import io.photoapp.jwt.api.TokenSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a JwtSecret for a test, naming only what the test is about (cert-manager's
 * {@code test/unit/gen} in Java): {@code JwtSecrets.named("app").production().adopt().deleteWithOwner()}.
 * A section of the spec (secret, key, token, rotation, restart, push) exists only when a method
 * set something in it, as it would in the YAML a person writes; {@link #build()} makes a fresh
 * object each time, so one builder can serve as the template of several.
 */
public final class JwtSecrets {
  private String name;
  private String namespace;
  private String uid;
  private final Map<String, String> labels = new LinkedHashMap<>();
  private final Map<String, String> annotations = new LinkedHashMap<>();
  private final List<String> finalizers = new ArrayList<>();
  private final List<Consumer<JwtSecretSpec>> spec = new ArrayList<>();

  private JwtSecrets(String name) {
    this.name = name;
  }

  /** A JwtSecret of this name; no environment, no namespace until set. */
  public static JwtSecrets named(String name) {
    return new JwtSecrets(name);
  }

  /** A copy of this builder, to vary one field of a shared template. */
  public JwtSecrets copy() {
    JwtSecrets c = new JwtSecrets(name);
    c.namespace = namespace;
    c.uid = uid;
    c.labels.putAll(labels);
    c.annotations.putAll(annotations);
    c.finalizers.addAll(finalizers);
    c.spec.addAll(spec);
    return c;
  }

  public JwtSecrets in(String namespace) {
    this.namespace = namespace;
    return this;
  }

  /** The namespace, or null while none is set. */
  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  public JwtSecrets uid(String uid) {
    this.uid = uid;
    return this;
  }

  public JwtSecrets label(String key, String value) {
    labels.put(key, value);
    return this;
  }

  public JwtSecrets annotate(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  public JwtSecrets finalizers(String... names) {
    finalizers.addAll(List.of(names));
    return this;
  }

  // The policy profile.

  public JwtSecrets environment(Environment environment) {
    return with(s -> s.environment = environment);
  }

  public JwtSecrets development() {
    return environment(Environment.DEVELOPMENT);
  }

  public JwtSecrets test() {
    return environment(Environment.TEST);
  }

  public JwtSecrets production() {
    return environment(Environment.PRODUCTION);
  }

  // spec.secret

  public JwtSecrets secretName(String secretName) {
    return secret(s -> s.name = secretName);
  }

  /** The data keys of the current, previous and next key. */
  public JwtSecrets dataKeys(String key, String previousKey, String nextKey) {
    return secret(s -> {
      s.key = key;
      s.previousKey = previousKey;
      s.nextKey = nextKey;
    });
  }

  /** The data key of the current key. */
  public JwtSecrets dataKey(String key) {
    return secret(s -> s.key = key);
  }

  public JwtSecrets adopt() {
    return adopt(true);
  }

  public JwtSecrets adopt(boolean adopt) {
    return secret(s -> s.adopt = adopt);
  }

  /** {@code deletionPolicy: Delete}: the Secret goes with the JwtSecret. */
  public JwtSecrets deleteWithOwner() {
    return deletionPolicy(DeletionPolicy.Delete);
  }

  public JwtSecrets deletionPolicy(DeletionPolicy policy) {
    return secret(s -> s.deletionPolicy = policy);
  }

  /** A label of {@code spec.secret.template}. */
  public JwtSecrets secretLabel(String key, String value) {
    return secret(s -> template(s).labels = put(template(s).labels, key, value));
  }

  /** An annotation of {@code spec.secret.template}. */
  public JwtSecrets secretAnnotation(String key, String value) {
    return secret(s -> template(s).annotations = put(template(s).annotations, key, value));
  }

  // spec.key

  public JwtSecrets algorithm(Algorithm algorithm) {
    return key(k -> k.algorithm = algorithm);
  }

  public JwtSecrets length(int length) {
    return key(k -> k.length = length);
  }

  public JwtSecrets encoding(Encoding encoding) {
    return key(k -> k.encoding = encoding);
  }

  /** The RSA key size. */
  public JwtSecrets keySize(int size) {
    return key(k -> k.size = size);
  }

  // spec.token

  public JwtSecrets tokenMinutes(int accessTokenExpireMinutes) {
    return with(s -> {
      s.token = s.token == null ? new TokenSpec() : s.token;
      s.token.accessTokenExpireMinutes = accessTokenExpireMinutes;
    });
  }

  // spec.rotation

  public JwtSecrets schedule(String schedule) {
    return rotation(r -> r.schedule = schedule);
  }

  public JwtSecrets timeZone(String timeZone) {
    return rotation(r -> r.timeZone = timeZone);
  }

  public JwtSecrets strategy(RotationStrategy strategy) {
    return rotation(r -> r.strategy = strategy);
  }

  public JwtSecrets direct() {
    return strategy(RotationStrategy.Direct);
  }

  public JwtSecrets staged() {
    return strategy(RotationStrategy.Staged);
  }

  public JwtSecrets gracePeriod(String duration) {
    return rotation(r -> r.gracePeriod = duration);
  }

  public JwtSecrets propagationDelay(String duration) {
    return rotation(r -> r.propagationDelay = duration);
  }

  public JwtSecrets rolloutTimeout(String duration) {
    return rotation(r -> r.rolloutTimeout = duration);
  }

  /** Schedule, grace period, propagation delay and rollout timeout at once, as most scenarios set them. */
  public JwtSecrets timing(String schedule, String gracePeriod, String propagationDelay, String rolloutTimeout) {
    return schedule(schedule).gracePeriod(gracePeriod).propagationDelay(propagationDelay).rolloutTimeout(rolloutTimeout);
  }

  public JwtSecrets rotateAfter(String time) {
    return rotation(r -> r.rotateAfter = time);
  }

  public JwtSecrets invalidateBefore(String time) {
    return rotation(r -> r.invalidateBefore = time);
  }

  public JwtSecrets paused() {
    return rotation(r -> r.paused = true);
  }

  /** {@code approval: Manual}: the switch waits for {@code jwt.photoapp.io/approve-switch}. */
  public JwtSecrets manualApproval() {
    return rotation(r -> r.approval = io.photoapp.jwt.api.Approval.Manual);
  }

  /** Adds a rotation window: {@code window("02:00", "05:00", Weekday.Sat)}; no days: every day. */
  public JwtSecrets window(String start, String end, io.photoapp.jwt.api.Weekday... days) {
    return rotation(r -> {
      var w = new io.photoapp.jwt.api.RotationWindow();
      w.start = start;
      w.end = end;
      w.days = days.length == 0 ? null : List.of(days);
      r.windows = r.windows == null ? new ArrayList<>() : new ArrayList<>(r.windows);
      r.windows.add(w);
    });
  }

  // spec.restart

  /** Adds restart targets, in order. */
  public JwtSecrets restarts(Targets... targets) {
    List<Targets> all = List.of(targets);
    return with(s -> {
      s.restart = s.restart == null ? new RestartSpec() : s.restart;
      s.restart.targets = s.restart.targets == null ? new ArrayList<>() : new ArrayList<>(s.restart.targets);
      all.forEach(t -> s.restart.targets.add(t.build()));
    });
  }

  /** spec.restart.coalesce: how long a shared workload's roll waits for the other JwtSecrets due to roll it. */
  public JwtSecrets coalesce(String duration) {
    return with(s -> {
      s.restart = s.restart == null ? new RestartSpec() : s.restart;
      s.restart.coalesce = duration;
    });
  }

  // spec.push

  /** Pushes to the JwtSecretStore of this name in the JwtSecret's namespace. */
  public JwtSecrets pushTo(String store) {
    return pushTo(Pushes.to(store));
  }

  public JwtSecrets pushTo(Pushes push) {
    return with(s -> {
      s.push = s.push == null ? new ArrayList<>() : new ArrayList<>(s.push);
      s.push.add(push.build());
    });
  }

  /** Any other change to the spec, for what a test alone needs. */
  public JwtSecrets with(Consumer<JwtSecretSpec> change) {
    spec.add(change);
    return this;
  }

  public JwtSecret build() {
    // As a manifest reads into the type: a plain constructor, then only the fields it names.
    JwtSecret js = new JwtSecret();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(namespace);
    meta.setUid(uid);
    if (!labels.isEmpty()) {
      meta.setLabels(new LinkedHashMap<>(labels));
    }
    if (!annotations.isEmpty()) {
      meta.setAnnotations(new LinkedHashMap<>(annotations));
    }
    if (!finalizers.isEmpty()) {
      meta.setFinalizers(new ArrayList<>(finalizers));
    }
    js.setMetadata(meta);
    JwtSecretSpec s = new JwtSecretSpec();
    spec.forEach(change -> change.accept(s));
    js.setSpec(s);
    return js;
  }

  private JwtSecrets secret(Consumer<SecretSpec> change) {
    return with(s -> {
      s.secret = s.secret == null ? new SecretSpec() : s.secret;
      change.accept(s.secret);
    });
  }

  private JwtSecrets key(Consumer<KeySpec> change) {
    return with(s -> {
      s.key = s.key == null ? new KeySpec() : s.key;
      change.accept(s.key);
    });
  }

  private JwtSecrets rotation(Consumer<RotationSpec> change) {
    return with(s -> {
      s.rotation = s.rotation == null ? new RotationSpec() : s.rotation;
      change.accept(s.rotation);
    });
  }

  private static SecretTemplate template(SecretSpec s) {
    if (s.template == null) {
      s.template = new SecretTemplate();
    }
    return s.template;
  }

  private static Map<String, String> put(Map<String, String> map, String key, String value) {
    Map<String, String> all = map == null ? new LinkedHashMap<>() : new LinkedHashMap<>(map);
    all.put(key, value);
    return all;
  }

  /** A restart target: {@code Targets.deployment("backend")}, {@code Targets.statefulSets().matchLabels(...)}. */
  public static final class Targets {
    private final io.photoapp.jwt.api.TargetKind kind;
    private final String name;
    private Map<String, String> matchLabels;
    private final List<io.photoapp.jwt.api.SelectorRequirement> expressions = new ArrayList<>();
    private Boolean waitForRollout;

    private Targets(io.photoapp.jwt.api.TargetKind kind, String name) {
      this.kind = kind;
      this.name = name;
    }

    public static Targets deployment(String name) {
      return new Targets(io.photoapp.jwt.api.TargetKind.Deployment, name);
    }

    public static Targets statefulSet(String name) {
      return new Targets(io.photoapp.jwt.api.TargetKind.StatefulSet, name);
    }

    public static Targets daemonSet(String name) {
      return new Targets(io.photoapp.jwt.api.TargetKind.DaemonSet, name);
    }

    /** An Argo Rollout ({@code argoproj.io/v1alpha1}). */
    public static Targets rollout(String name) {
      return new Targets(io.photoapp.jwt.api.TargetKind.Rollout, name);
    }

    /** Deployments chosen by a selector rather than a name. */
    public static Targets deployments() {
      return deployment(null);
    }

    public static Targets statefulSets() {
      return statefulSet(null);
    }

    public static Targets daemonSets() {
      return daemonSet(null);
    }

    public Targets matchLabels(Map<String, String> labels) {
      matchLabels = new LinkedHashMap<>(labels);
      return this;
    }

    public Targets matchExpression(String key, io.photoapp.jwt.api.SelectorOperator operator, String... values) {
      var r = new io.photoapp.jwt.api.SelectorRequirement();
      r.key = key;
      r.operator = operator;
      r.values = values.length == 0 ? null : List.of(values);
      expressions.add(r);
      return this;
    }

    /** {@code waitForRollout: false}: rolled, but never holds a rotation. */
    public Targets noWait() {
      waitForRollout = false;
      return this;
    }

    RestartTarget build() {
      RestartTarget t = new RestartTarget();
      t.kind = kind;
      t.name = name;
      if (matchLabels != null || !expressions.isEmpty()) {
        t.selector = new io.photoapp.jwt.api.TargetSelector();
        t.selector.matchLabels = matchLabels == null ? null : new LinkedHashMap<>(matchLabels);
        t.selector.matchExpressions = expressions.isEmpty() ? null : new ArrayList<>(expressions);
      }
      t.waitForRollout = waitForRollout;
      return t;
    }
  }

  /** An entry of {@code spec.push}: {@code Pushes.to("vault").restore()}, {@code Pushes.toClusterStore("aws").path("jwt")}. */
  public static final class Pushes {
    private final String store;
    private final StoreKind kind;
    private String path;
    private Boolean restore;
    private String restoreTimeout;
    private String resyncInterval;

    private Pushes(String store, StoreKind kind) {
      this.store = store;
      this.kind = kind;
    }

    /** The JwtSecretStore of this name, kind left out as a person would. */
    public static Pushes to(String store) {
      return new Pushes(store, null);
    }

    public static Pushes toClusterStore(String store) {
      return new Pushes(store, StoreKind.ClusterJwtSecretStore);
    }

    public Pushes path(String path) {
      this.path = path;
      return this;
    }

    /** Restore the key from the store when the Secret is missing. */
    public Pushes restore() {
      restore = true;
      return this;
    }

    public Pushes restoreTimeout(String duration) {
      restoreTimeout = duration;
      return this;
    }

    public Pushes resyncInterval(String duration) {
      resyncInterval = duration;
      return this;
    }

    PushTarget build() {
      PushTarget p = new PushTarget(new StoreRef(store, kind), path);
      p.restore = restore;
      p.restoreTimeout = restoreTimeout;
      p.resyncInterval = resyncInterval;
      return p;
    }
  }
}
