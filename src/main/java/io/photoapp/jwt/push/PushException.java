package io.photoapp.jwt.push;

/**
 * A push that did not reach its store. The message is shown in status, events and logs, so it is
 * built from status codes, error codes and the store's error text, never from a request: no key
 * and no credential ever goes into it.
 */
public final class PushException extends Exception {
  private static final int MAX_MESSAGE = 300;

  /** Why a push failed; the name is the condition reason. */
  public enum Reason {
    /** The entry of spec.push cannot be used (its path would leave the store's prefix); never attempted. */
    InvalidTarget,
    /** The store it names does not exist (a JwtSecretStore is looked up in the JwtSecret's namespace only). */
    StoreNotFound,
    /** The store's spec cannot be used (its Ready condition says why); never attempted. */
    StoreNotReady,
    /** A ClusterJwtSecretStore whose spec.conditions do not admit the JwtSecret's namespace; never attempted. */
    StoreNotAllowed,
    /** Something the target refers to in the cluster (a Secret, a ConfigMap, a CA bundle) is missing or unusable. */
    ConfigurationError,
    /** No credentials: no token Secret, no token for the ServiceAccount, nothing in the operator's own chain. */
    CredentialsUnavailable,
    /** The store refused the credentials or the operation (HTTP 401/403 and the like). */
    AccessDenied,
    /** The store could not be reached, timed out, or answered with a server error or throttling. */
    StoreUnreachable,
    /** The store refused the request for another reason. */
    StoreRejected
  }

  private final Reason reason;

  public PushException(Reason reason, String message) {
    super(clean(message));
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** One line of printable text, cut to a length that fits a condition message. */
  static String clean(String text) {
    String oneLine = (text == null ? "" : text).replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
    return oneLine.length() > MAX_MESSAGE ? oneLine.substring(0, MAX_MESSAGE - 3) + "..." : oneLine;
  }
}
