package io.photoapp.jwt.spec;

import io.photoapp.jwt.api.Algorithm;
import io.photoapp.jwt.api.Approval;
import io.photoapp.jwt.api.DeletionPolicy;
import io.photoapp.jwt.api.Encoding;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.api.JwtSecretSpec;
import io.photoapp.jwt.api.KeySpec;
import io.photoapp.jwt.api.Labels;
import io.photoapp.jwt.api.RestartSpec;
import io.photoapp.jwt.api.RestartTarget;
import io.photoapp.jwt.api.RotationSpec;
import io.photoapp.jwt.api.RotationStrategy;
import io.photoapp.jwt.api.SecretSpec;
import io.photoapp.jwt.api.TokenSpec;
import io.photoapp.jwt.keys.AsymmetricKeys;
import io.photoapp.jwt.keys.KeyGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fills in defaults and parses a JwtSecret's spec, collecting every problem the schema could not
 * catch. Pure: no API calls, no clock.
 */
public final class SpecResolver {
  public static final String DEFAULT_DATA_KEY = "jwt-secret-key";
  public static final String DEFAULT_PREVIOUS_DATA_KEY = "jwt-secret-key-previous";
  public static final String DEFAULT_NEXT_DATA_KEY = "jwt-secret-key-next";
  public static final int DEFAULT_LENGTH = 64;
  public static final int DEFAULT_TOKEN_MINUTES = 15;
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(30);
  public static final Duration DEFAULT_PROPAGATION_DELAY = Duration.ofMinutes(2);
  public static final Duration DEFAULT_ROLLOUT_TIMEOUT = Duration.ofMinutes(10);
  /** How long a shared workload's roll waits for the other JwtSecrets due to roll it (spec.restart.coalesce). */
  public static final Duration DEFAULT_COALESCE = Duration.ofSeconds(30);
  /** The longest coalescing window: a stage never waits longer than this for another JwtSecret. */
  public static final Duration MAX_COALESCE = Duration.ofMinutes(10);
  /** Data keys the operator writes itself; spec.secret keys must not collide with them. */
  public static final Set<String> RESERVED_DATA_KEYS = Set.of("jwt-algorithm", "jwt-access-token-expire-minutes",
      "jwks-secret.json", "private.jwk.json", "private.pem", "public.pem");
  private static final Pattern NAME = Pattern.compile(SecretSpec.NAME_PATTERN);
  private static final Pattern DATA_KEY = Pattern.compile(SecretSpec.DATA_KEY_PATTERN);
  private static final int MAX_NAME = io.photoapp.jwt.api.Limits.NAME;
  /** Longest value quoted back in a message: a spec or annotation value may be huge, status must not be. */
  private static final int MAX_QUOTED = 64;
  /** Longest schedule, time zone, duration or time: the schema's limit. */
  private static final int MAX_TEXT = io.photoapp.jwt.api.Limits.TEXT;
  /** Problems reported at most; the rest are counted. */
  private static final int MAX_PROBLEMS = 10;

  private SpecResolver() {}

  /**
   * The outcome: the problems that make the spec invalid, and an effective spec. With problems only
   * in rotation settings, requests or targets, the spec is still given (defaults in place of the
   * broken parts, broken targets and requests left out): the Secret can then be read and an
   * emergency or the retirement of a previous key can still run. With problems in the environment,
   * the Secret or the key, the spec is null.
   */
  public record Result(EffectiveSpec spec, List<String> problems) {
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  public static Result resolve(JwtSecret resource) {
    JwtSecretSpec spec = resource.getSpec();
    List<String> unrecognized = resource.unrecognizedValues();
    if (spec == null) {
      return new Result(null, unrecognized.isEmpty() ? List.of("spec is missing") : bounded(unrecognized));
    }
    // Each step adds its problems and gives its part; the first four make the spec unusable when they fail.
    List<String> problems = new ArrayList<>(unrecognized);
    if (spec.environment == null && !names(unrecognized, "spec.environment")) {
      problems.add("spec.environment is required: development, test or production");
    }
    SecretSpec secret = Objects.requireNonNullElseGet(spec.secret, SecretSpec::new);
    RotationSpec rotation = Objects.requireNonNullElseGet(spec.rotation, RotationSpec::new);
    RestartSpec restart = Objects.requireNonNullElseGet(spec.restart, RestartSpec::new);
    SecretNames names = secretNames(secret, resource.getMetadata().getName(), problems);
    KeyShape shape = keyShape(Objects.requireNonNullElseGet(spec.key, KeySpec::new), names.secretName(), problems);
    int tokenMinutes = tokenMinutes(Objects.requireNonNullElseGet(spec.token, TokenSpec::new), problems);
    boolean fatal = !problems.isEmpty();
    Timing timing = timing(rotation, problems);
    Requests requests = requests(rotation, resource.getMetadata().getAnnotations(), problems);
    Gates gates = gates(rotation, resource.getMetadata().getAnnotations(), timing.schedule(), problems);
    List<RestartTarget> targets = checkTargets(restart.targets == null ? List.of() : restart.targets, unrecognized, problems);
    SecretMetadata secretTemplate = SecretMetadata.resolve(secret.template, problems);
    Duration coalesce = coalesce(restart.coalesce, problems);
    if (fatal) {
      return new Result(null, bounded(problems));
    }
    return new Result(new EffectiveSpec(
        spec.environment, names.secretName(), names.dataKey(), names.previousKey(), names.nextKey(),
        secret.deletionPolicy == null ? DeletionPolicy.Retain : secret.deletionPolicy,
        Boolean.TRUE.equals(secret.adopt),
        shape.algorithm(), shape.length(), shape.encoding(), shape.size(), tokenMinutes, timing.schedule(),
        rotation.strategy == null ? RotationStrategy.Staged : rotation.strategy,
        timing.grace(), timing.propagation(), timing.rolloutTimeout(),
        requests.rotateAfter(), requests.invalidateBefore(),
        Boolean.TRUE.equals(rotation.paused), targets, secretTemplate,
        gates.approval(), gates.approvedSwitch(), gates.windows(), coalesce), bounded(problems));
  }

  private record SecretNames(String secretName, String dataKey, String previousKey, String nextKey) {}

  /** The Secret's name and its three data keys: valid names, none the operator writes itself, all different. */
  private static SecretNames secretNames(SecretSpec secret, String jwtSecretName, List<String> problems) {
    String secretName = blankToDefault(secret.name, jwtSecretName);
    if (secretName != null && secretName.length() > MAX_NAME) {
      problems.add("spec.secret.name is " + secretName.length() + " characters long, more than " + MAX_NAME);
    } else if (secretName == null || !NAME.matcher(secretName).matches()) {
      problems.add("spec.secret.name " + quote(secretName) + " is not a valid Secret name (lower-case letters, digits, '-' and '.')");
    }
    String dataKey = blankToDefault(secret.key, DEFAULT_DATA_KEY);
    String previousKey = blankToDefault(secret.previousKey, DEFAULT_PREVIOUS_DATA_KEY);
    String nextKey = blankToDefault(secret.nextKey, DEFAULT_NEXT_DATA_KEY);
    for (String[] dk : new String[][] {{"key", dataKey}, {"previousKey", previousKey}, {"nextKey", nextKey}}) {
      if (dk[1].length() > MAX_NAME) {
        problems.add("spec.secret." + dk[0] + " is " + dk[1].length() + " characters long, more than " + MAX_NAME);
      } else if (!DATA_KEY.matcher(dk[1]).matches()) {
        problems.add("spec.secret." + dk[0] + " " + quote(dk[1]) + " is not a valid Secret data key");
      } else if (RESERVED_DATA_KEYS.contains(dk[1])) {
        problems.add("spec.secret." + dk[0] + " \"" + dk[1] + "\" is a data key the operator writes itself");
      }
    }
    if (new HashSet<>(List.of(dataKey, previousKey, nextKey)).size() != 3) {
      problems.add("spec.secret.key, previousKey and nextKey must be three different data keys");
    }
    return new SecretNames(secretName, dataKey, previousKey, nextKey);
  }

  private record KeyShape(Algorithm algorithm, Encoding encoding, int length, int size) {}

  /** The algorithm and what shapes its keys: length and encoding for HMAC keys, size for RSA keys; the others are ignored. */
  private static KeyShape keyShape(KeySpec key, String secretName, List<String> problems) {
    Algorithm algorithm = key.algorithm == null ? Algorithm.HS256 : key.algorithm;
    Encoding encoding = key.encoding == null ? Encoding.URLSAFE : key.encoding;
    int length = 0;
    if (algorithm.isHmac()) {
      length = key.length != null ? key.length : defaultLength(algorithm, encoding);
      if (length < KeyGenerator.MIN_LENGTH || length > KeyGenerator.MAX_LENGTH) {
        problems.add("spec.key.length " + length + " is outside 32..4096");
      }
    }
    if (algorithm.isAsymmetric() && secretName != null && secretName.length() > PublicKeysName.MAX_SECRET_NAME) {
      problems.add("spec.secret.name \"" + secretName + "\" is too long for the public keys' ConfigMap "
          + PublicKeysName.of("<name>") + " (at most " + PublicKeysName.MAX_SECRET_NAME
          + " characters)");
    }
    int size = 0;
    if (algorithm.family() == Algorithm.Family.RSA) {
      size = key.size != null ? key.size : AsymmetricKeys.DEFAULT_RSA_BITS;
      if (size < AsymmetricKeys.MIN_RSA_BITS || size > AsymmetricKeys.MAX_RSA_BITS) {
        problems.add("spec.key.size " + size + " is outside " + AsymmetricKeys.MIN_RSA_BITS + ".." + AsymmetricKeys.MAX_RSA_BITS);
      }
    }
    return new KeyShape(algorithm, encoding, length, size);
  }

  private static int tokenMinutes(TokenSpec token, List<String> problems) {
    int tokenMinutes = token.accessTokenExpireMinutes == null ? DEFAULT_TOKEN_MINUTES : token.accessTokenExpireMinutes;
    if (tokenMinutes < 1) {
      problems.add("spec.token.accessTokenExpireMinutes must be at least 1");
    }
    return tokenMinutes;
  }

  private record Timing(Schedule schedule, Duration grace, Duration propagation, Duration rolloutTimeout) {}

  /** The schedule and the durations of a rotation; a broken one is reported and replaced by its default. */
  private static Timing timing(RotationSpec rotation, List<String> problems) {
    Schedule schedule = null;
    boolean scheduleTooLong = tooLong("spec.rotation.schedule", rotation.schedule, problems);
    boolean zoneTooLong = tooLong("spec.rotation.timeZone", rotation.timeZone, problems);
    if (!scheduleTooLong && !zoneTooLong) {
      try {
        schedule = Schedule.parse(rotation.schedule, rotation.timeZone);
      } catch (IllegalArgumentException e) {
        problems.add("spec.rotation: " + e.getMessage());
      }
    }
    if (schedule == null) {
      schedule = Schedule.parse(Schedule.DEFAULT, "UTC");
    }
    Duration grace = duration("gracePeriod", rotation.gracePeriod, DEFAULT_GRACE, problems);
    Duration propagation = duration("propagationDelay", rotation.propagationDelay, DEFAULT_PROPAGATION_DELAY, problems);
    Duration rolloutTimeout = duration("rolloutTimeout", rotation.rolloutTimeout, DEFAULT_ROLLOUT_TIMEOUT, problems);
    if (rolloutTimeout.isZero()) {
      problems.add("spec.rotation.rolloutTimeout must be longer than 0s");
      rolloutTimeout = DEFAULT_ROLLOUT_TIMEOUT;
    }
    return new Timing(schedule, grace, propagation, rolloutTimeout);
  }

  /** spec.restart.coalesce: 0s (off) to 10m; a broken one is reported and replaced by the default. */
  private static Duration coalesce(String text, List<String> problems) {
    if (text == null || text.isBlank()) {
      return DEFAULT_COALESCE;
    }
    if (tooLong("spec.restart.coalesce", text, problems)) {
      return DEFAULT_COALESCE;
    }
    try {
      Duration d = Durations.parse(text);
      if (d.compareTo(MAX_COALESCE) > 0) {
        problems.add("spec.restart.coalesce " + quote(text) + " is longer than " + Durations.format(MAX_COALESCE)
            + ": a stage would wait that long for other JwtSecrets; use 0s to never wait");
        return DEFAULT_COALESCE;
      }
      return d;
    } catch (IllegalArgumentException e) {
      problems.add("spec.restart.coalesce: " + e.getMessage() + "; 0s never waits");
      return DEFAULT_COALESCE;
    }
  }

  private record Requests(List<Instant> rotateAfter, List<Instant> invalidateBefore) {}

  /** Requests to rotate, from the spec and from annotations; a malformed one is reported and left out. */
  private static Requests requests(RotationSpec rotation, Map<String, String> annotations, List<String> problems) {
    List<Instant> rotateAfter = new ArrayList<>();
    time("spec.rotation.rotateAfter", rotation.rotateAfter, rotateAfter, problems);
    time("annotation " + Labels.ROTATE_AFTER, annotation(annotations, Labels.ROTATE_AFTER), rotateAfter, problems);
    List<Instant> invalidateBefore = new ArrayList<>();
    time("spec.rotation.invalidateBefore", rotation.invalidateBefore, invalidateBefore, problems);
    time("annotation " + Labels.INVALIDATE_BEFORE, annotation(annotations, Labels.INVALIDATE_BEFORE), invalidateBefore, problems);
    return new Requests(List.copyOf(rotateAfter), List.copyOf(invalidateBefore));
  }

  private record Gates(Approval approval, String approvedSwitch, RotationWindows windows) {}

  /** What holds a planned rotation: approval (and the key id approved), and the windows it may start in. */
  private static Gates gates(RotationSpec rotation, Map<String, String> annotations, Schedule schedule, List<String> problems) {
    String approvedSwitch = annotation(annotations, Labels.APPROVE_SWITCH);
    // A key id is 16 characters; anything far longer approves nothing and is not kept.
    approvedSwitch = approvedSwitch == null || approvedSwitch.length() > MAX_TEXT ? null : approvedSwitch.trim();
    RotationWindows windows = RotationWindows.resolve(rotation.windows, schedule.zone(), problems);
    return new Gates(rotation.approval == null ? Approval.Automatic : rotation.approval, approvedSwitch, windows);
  }

  /** 64, or more where the algorithm's entropy rule needs it (HS512 in urlsafe: 86). */
  public static int defaultLength(Algorithm algorithm, Encoding encoding) {
    // A secure key may happen to use only urlsafe characters and is then judged as urlsafe.
    Encoding judgedAs = encoding == Encoding.SECURE ? Encoding.URLSAFE : encoding;
    return Math.max(DEFAULT_LENGTH, KeyGenerator.lengthFor(judgedAs, algorithm.minimumEntropyBits()));
  }

  /** The well-formed targets; a problem for each of the others. */
  private static List<RestartTarget> checkTargets(List<RestartTarget> targets, List<String> unrecognized,
      List<String> problems) {
    List<RestartTarget> valid = new ArrayList<>();
    if (targets.size() > io.photoapp.jwt.api.Limits.TARGETS) {
      problems.add("spec.restart.targets has " + targets.size() + " targets, more than " + io.photoapp.jwt.api.Limits.TARGETS);
      return List.of();
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < targets.size(); i++) {
      RestartTarget t = targets.get(i);
      String where = "spec.restart.targets[" + i + "]";
      if (t == null || t.kind == null) {
        if (!names(unrecognized, where + ".kind")) {
          problems.add(where + ".kind is required: Deployment, StatefulSet, DaemonSet or Rollout");
        }
        continue;
      }
      boolean hasName = t.name != null && !t.name.isBlank();
      boolean hasSelector = t.selector != null;
      if (hasName == hasSelector) {
        problems.add(where + " needs exactly one of name or selector");
        continue;
      }
      if (hasSelector) {
        boolean labels = t.selector.matchLabels != null && !t.selector.matchLabels.isEmpty();
        boolean exprs = t.selector.matchExpressions != null && !t.selector.matchExpressions.isEmpty();
        if (!labels && !exprs) {
          problems.add(where + ".selector must not be empty");
          continue;
        }
        Optional<String> oversized = oversized(where + ".selector", t.selector);
        if (oversized.isPresent()) {
          problems.add(oversized.get());
          continue;
        }
      } else if (t.name.length() > MAX_NAME) {
        problems.add(where + ".name is " + t.name.length() + " characters long, more than " + MAX_NAME);
        continue;
      } else if (!NAME.matcher(t.name).matches()) {
        problems.add(where + ".name " + quote(t.name) + " is not a valid workload name");
        continue;
      }
      String identity = t.kind + "/" + (hasName ? t.name : canonical(t.selector));
      if (!seen.add(identity)) {
        problems.add(where + " repeats an earlier target (" + t.kind + (hasName ? " " + t.name : " selector") + ")");
        continue;
      }
      valid.add(t);
    }
    return List.copyOf(valid);
  }

  /** The first part of a selector over the schema's limits, if one is (a cluster without the schema). */
  private static Optional<String> oversized(String where, io.photoapp.jwt.api.TargetSelector s) {
    int terms = io.photoapp.jwt.api.Limits.SELECTOR_TERMS;
    int labelKey = io.photoapp.jwt.api.Limits.LABEL_KEY;
    int labelValue = io.photoapp.jwt.api.Limits.LABEL_VALUE;
    if (s.matchLabels != null) {
      if (s.matchLabels.size() > terms) {
        return Optional.of(where + ".matchLabels has " + s.matchLabels.size() + " labels, more than " + terms);
      }
      for (Map.Entry<String, String> e : s.matchLabels.entrySet()) {
        if (e.getKey().length() > labelKey) {
          return Optional.of(where + ".matchLabels has a key of " + e.getKey().length() + " characters, more than " + labelKey);
        }
        if (e.getValue() != null && e.getValue().length() > labelValue) {
          return Optional.of(where + ".matchLabels has a value of " + e.getValue().length() + " characters, more than " + labelValue);
        }
      }
    }
    if (s.matchExpressions != null) {
      if (s.matchExpressions.size() > terms) {
        return Optional.of(where + ".matchExpressions has " + s.matchExpressions.size() + " expressions, more than " + terms);
      }
      for (int i = 0; i < s.matchExpressions.size(); i++) {
        io.photoapp.jwt.api.SelectorRequirement r = s.matchExpressions.get(i);
        String at = where + ".matchExpressions[" + i + "]";
        if (r == null) {
          continue;
        }
        if (r.key != null && r.key.length() > labelKey) {
          return Optional.of(at + ".key is " + r.key.length() + " characters long, more than " + labelKey);
        }
        if (r.values != null && r.values.size() > io.photoapp.jwt.api.Limits.SELECTOR_VALUES) {
          return Optional.of(at + ".values has " + r.values.size() + " values, more than " + io.photoapp.jwt.api.Limits.SELECTOR_VALUES);
        }
        for (int j = 0; r.values != null && j < r.values.size(); j++) {
          String v = r.values.get(j);
          if (v != null && v.length() > labelValue) {
            return Optional.of(at + ".values[" + j + "] is " + v.length() + " characters long, more than " + labelValue);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static String canonical(io.photoapp.jwt.api.TargetSelector s) {
    String labels = s.matchLabels == null ? "{}" : new java.util.TreeMap<>(s.matchLabels).toString();
    String exprs = s.matchExpressions == null ? "[]" : s.matchExpressions.stream()
        .map(r -> r == null ? "" : r.key + " " + r.operator + " " + (r.values == null ? "[]" : new java.util.TreeSet<>(r.values)))
        .sorted().toList().toString();
    return labels + exprs;
  }

  private static Duration duration(String field, String text, Duration fallback, List<String> problems) {
    if (text == null || text.isBlank()) {
      return fallback;
    }
    if (tooLong("spec.rotation." + field, text, problems)) {
      return fallback;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      problems.add("spec.rotation." + field + ": " + e.getMessage());
      return fallback;
    }
  }

  private static void time(String field, String text, List<Instant> into, List<String> problems) {
    if (text == null || text.isBlank()) {
      return;
    }
    if (text.length() > MAX_TEXT) {
      problems.add(field + " is not an RFC 3339 time: it is " + text.length() + " characters long, more than " + MAX_TEXT);
      return;
    }
    try {
      into.add(OffsetDateTime.parse(text.trim()).toInstant());
    } catch (DateTimeParseException e) {
      problems.add(field + " " + quote(text) + " is not an RFC 3339 time such as 2026-12-01T03:00:00Z");
    }
  }

  /** Whether one of the unrecognized values is the field at {@code path} or lies within it. */
  private static boolean names(List<String> unrecognized, String path) {
    return unrecognized.stream().anyMatch(u -> u.startsWith(path + " ") || u.startsWith(path + ".") || u.startsWith(path + "["));
  }

  /** A value quoted for a message, cut short when long. */
  static String quote(String value) {
    return "\"" + (value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "...\" (" + value.length() + " characters)" : value + "\"");
  }

  /** Reports a text too long to be what the field wants, without quoting it. */
  private static boolean tooLong(String field, String text, List<String> problems) {
    if (text != null && text.length() > MAX_TEXT) {
      problems.add(field + " is " + text.length() + " characters long, more than " + MAX_TEXT);
      return true;
    }
    return false;
  }

  /** At most {@link #MAX_PROBLEMS} problems, each of a bounded length, so that status stays small. */
  private static List<String> bounded(List<String> problems) {
    List<String> out = new ArrayList<>();
    for (String p : problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS))) {
      out.add(p.length() > 4 * MAX_QUOTED + 64 ? p.substring(0, 4 * MAX_QUOTED + 64) + "..." : p);
    }
    if (problems.size() > MAX_PROBLEMS) {
      out.add("and " + (problems.size() - MAX_PROBLEMS) + " more problems");
    }
    return List.copyOf(out);
  }

  private static String annotation(Map<String, String> annotations, String name) {
    return annotations == null ? null : annotations.get(name);
  }

  private static String blankToDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
