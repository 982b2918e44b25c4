package io.photoapp.jwt.testing;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.photoapp.jwt.ops.ApiPermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mock server's CRUD dispatcher (with RFC 7386 merge patches) plus what a real API server, or the
 * network in front of it, does:
 *
 * <ul>
 *   <li>it answers the SDK's SelfSubjectRulesReview with the Lease rules the chart grants (the CRUD
 *       dispatcher would echo the request back without a status);
 *   <li>it can answer chosen requests slowly, to hold a reconcile in flight;
 *   <li>it can fail the operator's Nth write in a namespace with a {@link Fault}, or refuse every
 *       write after the next one until thawed (the operator "crashed" right after that write);
 *   <li>it counts the operator's requests per second.
 * </ul>
 *
 * <p>The operator's requests are told apart from the test's by the header {@link #CLIENT_HEADER},
 * which {@link OperatorHarness} puts on every request of the operators it starts.
 */
public final class ApiServerDispatcher extends io.photoapp.jwt.demo.MergePatchCrudDispatcher {
  /** Header naming the client that sent a request. */
  public static final String CLIENT_HEADER = "X-Jwt-Test-Client";
  /** Its value on the requests of the operator under test. */
  public static final String OPERATOR_CLIENT = "operator";
  private static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
  private static final Pattern NAMESPACED = Pattern.compile("/namespaces/([^/?]+)/");
  private static final Pattern TOKEN_REQUEST = Pattern.compile("^/api/v1/namespaces/([^/]+)/serviceaccounts/([^/?]+)/token(\\?.*)?$");
  /** "namespace/serviceaccount [audiences]" of every token minted, in order. */
  public final List<String> mintedTokens = new CopyOnWriteArrayList<>();
  /** How late {@link Fault#SLOW_REPLY} answers: well under the client's request timeout. */
  public static final Duration SLOW = Duration.ofMillis(1500);

  /** How the API server fails one of the operator's writes. */
  public enum Fault {
    /** 409 Conflict; the write is not applied. */
    CONFLICT,
    /** 429 Too Many Requests with Retry-After: 1; not applied. */
    TOO_MANY_REQUESTS,
    /** 500 Internal Server Error; not applied. */
    SERVER_ERROR,
    /** The connection closes before any reply; not applied. */
    DROPPED_CONNECTION,
    /** Applied, then the connection closes before the reply: the operator cannot know it landed. */
    LOST_REPLY,
    /** Applied, answered {@link #SLOW} later. */
    SLOW_REPLY,
    /**
     * 422 whose message quotes the request body, as a careless or hostile admission webhook may;
     * not applied. Whatever the operator logs of it must not show a key.
     */
    REJECTED_WITH_ECHO
  }

  private record Slow(Predicate<RecordedRequest> which, Duration by) {}

  /** The operator's writes in one namespace, and what to do to them. */
  private static final class Scope {
    final AtomicInteger writes = new AtomicInteger();
    final List<String> log = new CopyOnWriteArrayList<>();
    volatile int faultAt;
    volatile Fault fault;
    volatile boolean fired;
    volatile int freezeAt;
    volatile String freezeAfterMatching;
    volatile int matchesLeft;
    volatile boolean frozen;
  }

  private final List<Slow> slow = new CopyOnWriteArrayList<>();
  private final List<String> slowed = new CopyOnWriteArrayList<>();
  private final Map<String, Scope> scopes = new ConcurrentHashMap<>();
  private final Map<Long, AtomicInteger> operatorRequestsBySecond = new ConcurrentHashMap<>();

  /** Answers each request that matches {@code which} only after {@code by} (it takes effect at once). */
  public void answerSlowly(Predicate<RecordedRequest> which, Duration by) {
    slow.add(new Slow(which, by));
  }

  /** Request lines of the requests answered slowly so far. */
  public List<String> slowed() {
    return List.copyOf(slowed);
  }

  /**
   * Fails the operator's {@code n}th write (POST, PUT, PATCH, DELETE) under {@code namespace},
   * counted from now (1 is the next one), with {@code fault}; every other write goes through.
   */
  public void failWrite(String namespace, int n, Fault fault) {
    Scope scope = new Scope();
    scope.faultAt = n;
    scope.fault = fault;
    scopes.put(namespace, scope);
  }

  /** Counts and logs the operator's writes under {@code namespace} from now on, failing none. */
  public void countWrites(String namespace) {
    scopes.put(namespace, new Scope());
  }

  /** Whether the fault set by {@link #failWrite} has been injected. */
  public boolean faultFired(String namespace) {
    Scope scope = scopes.get(namespace);
    return scope != null && scope.fired;
  }

  /** The operator's writes under a namespace since counting began, as "METHOD path -> outcome". */
  public List<String> writes(String namespace) {
    Scope scope = scopes.get(namespace);
    return scope == null ? List.of() : List.copyOf(scope.log);
  }

  /**
   * Lets the operator's next write under {@code namespace} through, then refuses every later one
   * with 403 (not applied) until {@link #thaw}: to the API server the operator died right after
   * that write.
   */
  public void freezeAfterNextWrite(String namespace) {
    Scope scope = scopes.computeIfAbsent(namespace, ns -> new Scope());
    scope.frozen = false;
    scope.freezeAt = scope.writes.get() + 1;
  }

  /** As {@link #freezeAfterNextWrite}, after the operator's {@code n}th write under {@code namespace}, counted from now. */
  public void freezeAfterWrite(String namespace, int n) {
    Scope scope = new Scope();
    scope.freezeAt = n;
    scopes.put(namespace, scope);
  }

  /**
   * As {@link #freezeAfterNextWrite}, after the operator's {@code nth} write under {@code namespace}
   * whose request line ("METHOD path") contains {@code text}, counted from now.
   */
  public void freezeAfterWriteMatching(String namespace, String text, int nth) {
    Scope scope = new Scope();
    scope.freezeAfterMatching = text;
    scope.matchesLeft = nth;
    scopes.put(namespace, scope);
  }

  /** Whether the operator's writes under a namespace are refused since its last write went through. */
  public boolean frozen(String namespace) {
    Scope scope = scopes.get(namespace);
    return scope != null && scope.frozen;
  }

  /** Lets the operator's writes under a namespace through again. */
  public void thaw(String namespace) {
    Scope scope = scopes.get(namespace);
    if (scope != null) {
      scope.freezeAt = 0;
      scope.freezeAfterMatching = null;
      scope.frozen = false;
    }
  }

  /** Forgets the operator's requests counted so far. */
  public void resetRequestRate() {
    operatorRequestsBySecond.clear();
  }

  /** The operator's requests (watches excepted) in each wall-clock second, by epoch second. */
  public Map<Long, Integer> operatorRequestsPerSecond() {
    Map<Long, Integer> counts = new TreeMap<>();
    operatorRequestsBySecond.forEach((second, n) -> counts.put(second, n.get()));
    return counts;
  }

  /** The most requests (watches excepted) the operator sent in one wall-clock second. */
  public int peakOperatorRequestsPerSecond() {
    return operatorRequestsBySecond.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
  }

  private volatile Predicate<RecordedRequest> forbidden = r -> false;

  /** Answers 403 Forbidden, as RBAC would, to every request that matches. */
  public void forbid(Predicate<RecordedRequest> which) {
    forbidden = which;
  }

  private volatile Predicate<RecordedRequest> notServed = r -> false;

  /** Answers 404 Not Found, as an API server that does not serve a resource's version would. */
  public void notServed(Predicate<RecordedRequest> which) {
    notServed = which;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if ("POST".equals(request.getMethod()) && request.getPath().startsWith(RULES_REVIEWS)) {
      return rulesReview(request);
    }
    if (forbidden.test(request)) {
      return status(403, "Forbidden", "forbidden by the test's RBAC");
    }
    if (notServed.test(request)) {
      return status(404, "NotFound", "the server could not find the requested resource");
    }
    Matcher token = TOKEN_REQUEST.matcher(request.getPath());
    if ("POST".equals(request.getMethod()) && token.matches()) {
      return tokenRequest(token.group(1), token.group(2), request);
    }
    boolean operator = OPERATOR_CLIENT.equals(request.getHeader(CLIENT_HEADER));
    if (operator && !request.getPath().contains("watch=true")) {
      operatorRequestsBySecond.computeIfAbsent(System.currentTimeMillis() / 1000, s -> new AtomicInteger()).incrementAndGet();
    }
    Scope scope = operator && !"GET".equals(request.getMethod()) ? scopeOf(request) : null;
    if (scope != null) {
      return dispatchWrite(scope, request);
    }
    return answer(request);
  }

  /**
   * The TokenRequest API as the API server answers it: a token for the ServiceAccount, here an
   * unsigned JWT whose {@code sub} and {@code aud} say whom and what it is for.
   */
  private MockResponse tokenRequest(String namespace, String serviceAccount, RecordedRequest request) {
    io.fabric8.kubernetes.api.model.authentication.TokenRequest asked = Serialization.unmarshal(
        request.getUtf8Body(), io.fabric8.kubernetes.api.model.authentication.TokenRequest.class);
    List<String> audiences = asked.getSpec() == null || asked.getSpec().getAudiences() == null
        || asked.getSpec().getAudiences().isEmpty() ? List.of("https://kubernetes.default.svc") : asked.getSpec().getAudiences();
    mintedTokens.add(namespace + "/" + serviceAccount + " " + audiences);
    String payload = Serialization.asJson(Map.of("sub", "system:serviceaccount:" + namespace + ":" + serviceAccount,
        "aud", audiences, "iss", "https://kubernetes.default.svc"));
    java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
    String jwt = b64.encodeToString("{\"alg\":\"none\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + ".sig";
    asked.setStatus(new io.fabric8.kubernetes.api.model.authentication.TokenRequestStatusBuilder()
        .withToken(jwt).withExpirationTimestamp("2099-01-01T00:00:00Z").build());
    return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(asked));
  }

  private Scope scopeOf(RecordedRequest request) {
    Matcher m = NAMESPACED.matcher(request.getPath());
    return m.find() ? scopes.get(m.group(1)) : null;
  }

  private MockResponse dispatchWrite(Scope scope, RecordedRequest request) {
    String line = request.getMethod() + " " + request.getPath().replaceFirst("\\?.*", "");
    if (scope.frozen) {
      scope.log.add(line + " -> refused (crashed)");
      return status(403, "Forbidden", "refused: the operator is down");
    }
    int n = scope.writes.incrementAndGet();
    Fault fault = n == scope.faultAt ? scope.fault : null;
    if (fault == null) {
      MockResponse response = answer(request);
      scope.log.add(line + " -> " + response.code());
      if (n == scope.freezeAt) {
        scope.frozen = true;
      }
      if (scope.freezeAfterMatching != null && line.contains(scope.freezeAfterMatching) && --scope.matchesLeft == 0) {
        scope.freezeAfterMatching = null;
        scope.frozen = true;
      }
      return response;
    }
    scope.fired = true;
    scope.log.add(line + " -> " + fault);
    return switch (fault) {
      case CONFLICT -> status(409, "Conflict", "injected conflict");
      case TOO_MANY_REQUESTS -> status(429, "TooManyRequests", "injected throttling").setHeader("Retry-After", "1");
      case SERVER_ERROR -> status(500, "InternalError", "injected failure");
      case DROPPED_CONNECTION -> dropped();
      case LOST_REPLY -> {
        answer(request);
        yield dropped();
      }
      case SLOW_REPLY -> answer(request).setBodyDelay(SLOW);
      case REJECTED_WITH_ECHO -> status(422, "Invalid", "admission webhook \"policy.example.com\" denied the request: "
          + request.getUtf8Body());
    };
  }

  private MockResponse answer(RecordedRequest request) {
    MockResponse response = super.dispatch(request);
    for (Slow s : slow) {
      if (s.which().test(request)) {
        slowed.add(request.getMethod() + " " + request.getPath());
        // A timer in the server, not a blocked thread: other requests go on being answered.
        response.setBodyDelay(s.by());
        break;
      }
    }
    return response;
  }

  /**
   * A reply that {@link CuttingProxy} drops with its connection (a client that does not go through
   * the proxy reads a 503).
   */
  private static MockResponse dropped() {
    return status(503, "ServiceUnavailable", "connection dropped").setHeader(CuttingProxy.CUT, "true");
  }

  private static MockResponse status(int code, String reason, String message) {
    Status status = new StatusBuilder().withStatus("Failure").withCode(code).withReason(reason).withMessage(message).build();
    return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(status));
  }

  private static MockResponse rulesReview(RecordedRequest request) {
    SelfSubjectRulesReview review = Serialization.unmarshal(request.getUtf8Body(), SelfSubjectRulesReview.class);
    List<ResourceRule> rules = ApiPermissions.LEADER_ELECTION.stream()
        .map(p -> new ResourceRuleBuilder().withApiGroups(p.apiGroup()).withResources(p.resource())
            .withVerbs(p.verbs()).build())
        .toList();
    review.setStatus(new io.fabric8.kubernetes.api.model.authorization.v1.SubjectRulesReviewStatusBuilder()
        .withResourceRules(rules).withIncomplete(false).build());
    return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
  }
}
