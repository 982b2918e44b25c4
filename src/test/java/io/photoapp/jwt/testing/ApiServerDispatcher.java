package io.photoapp.jwt.testing;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRule;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.photoapp.jwt.ops.ApiPermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The mock server's CRUD dispatcher (with RFC 7386 merge patches) plus two things a real API server does: it answers the SDK's
 * SelfSubjectRulesReview with the Lease rules the chart grants (the CRUD dispatcher would echo the
 * request back without a status), and it can answer chosen requests slowly, to hold a reconcile in
 * flight.
 */
public final class ApiServerDispatcher extends io.photoapp.jwt.demo.MergePatchCrudDispatcher {
  private static final String RULES_REVIEWS = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";

  private record Slow(Predicate<RecordedRequest> which, Duration by) {}

  private final List<Slow> slow = new CopyOnWriteArrayList<>();
  private final List<String> slowed = new CopyOnWriteArrayList<>();

  /** Answers each request that matches {@code which} only after {@code by} (it takes effect at once). */
  public void answerSlowly(Predicate<RecordedRequest> which, Duration by) {
    slow.add(new Slow(which, by));
  }

  /** Request lines of the requests answered slowly so far. */
  public List<String> slowed() {
    return List.copyOf(slowed);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    if ("POST".equals(request.getMethod()) && request.getPath().startsWith(RULES_REVIEWS)) {
      return rulesReview(request);
    }
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
