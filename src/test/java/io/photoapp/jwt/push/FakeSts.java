package io.photoapp.jwt.push;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * AWS STS's query protocol as documented, for AssumeRoleWithWebIdentity: {@code POST /} with a form of
 * Action, RoleArn, RoleSessionName and WebIdentityToken, unsigned; it answers with session
 * credentials (the access key pair the fake Secrets Manager accepts) and records each token's subject.
 */
final class FakeSts implements StoreServer.Handler {
  static final String SESSION_TOKEN = "test-session-token";
  /** "roleArn subject" of every exchange, in order. */
  final List<String> exchanges = new CopyOnWriteArrayList<>();

  @Override
  public StoreServer.Response handle(StoreServer.Request r) {
    Map<String, String> form = new HashMap<>();
    for (String pair : (r.body() == null ? "" : r.body()).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    if (!"AssumeRoleWithWebIdentity".equals(form.get("Action"))) {
      return xmlError(400, "InvalidAction", "unsupported action");
    }
    String subject = StoreFixtures.subjectOf(form.getOrDefault("WebIdentityToken", ""));
    if (!subject.startsWith("system:serviceaccount:")) {
      return xmlError(400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity provider");
    }
    exchanges.add(form.get("RoleArn") + " " + subject);
    return new StoreServer.Response(200, Map.of("Content-Type", "text/xml"), """
        <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <AssumeRoleWithWebIdentityResult>
            <Credentials>
              <AccessKeyId>%s</AccessKeyId>
              <SecretAccessKey>%s</SecretAccessKey>
              <SessionToken>%s</SessionToken>
              <Expiration>2099-01-01T00:00:00Z</Expiration>
            </Credentials>
            <SubjectFromWebIdentityToken>%s</SubjectFromWebIdentityToken>
            <AssumedRoleUser><Arn>%s/session</Arn><AssumedRoleId>AROA:session</AssumedRoleId></AssumedRoleUser>
          </AssumeRoleWithWebIdentityResult>
          <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
        </AssumeRoleWithWebIdentityResponse>
        """.formatted(FakeSecretsManager.ACCESS_KEY, FakeSecretsManager.SECRET_KEY, SESSION_TOKEN, subject,
        form.get("RoleArn")));
  }

  private static StoreServer.Response xmlError(int status, String code, String message) {
    return new StoreServer.Response(status, Map.of("Content-Type", "text/xml"), """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error>
          <RequestId>1</RequestId>
        </ErrorResponse>
        """.formatted(code, message));
  }
}
