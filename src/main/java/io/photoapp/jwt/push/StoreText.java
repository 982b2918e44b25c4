package io.photoapp.jwt.push;

import java.util.regex.Pattern;

/**
 * What of a store's error text may reach status, events and logs: a store's address can be anyone's
 * (a tenant's own server, or an internal one probed through the operator), so its words are cut to a
 * fixed length, kept to printable text, and anything that looks like a token, a key or a long
 * identifier is redacted; a reply body as such is never shown.
 */
public final class StoreText {
  /** The most of one error text shown. */
  public static final int MAX = 120;
  /** A long run of the characters of tokens, base64 and every key encoding (Encoding.SECURE adds ,@%^). */
  private static final Pattern SECRETISH = Pattern.compile("[A-Za-z0-9+/=_.:,@%^-]{24,}");
  private static final Pattern UNPRINTABLE = Pattern.compile("[^\\x20-\\x7E]+");

  private StoreText() {}

  public static String of(String text) {
    if (text == null) {
      return "";
    }
    String printable = UNPRINTABLE.matcher(text).replaceAll(" ").strip();
    String redacted = SECRETISH.matcher(printable).replaceAll(m -> m.group().startsWith("arn:") ? arn(m.group()) : "[redacted]");
    return redacted.length() > MAX ? redacted.substring(0, MAX - 3) + "..." : redacted;
  }

  /** An AWS ARN names a role or a secret, not a credential: kept, but cut to its account and resource type. */
  private static String arn(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 ? String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], parts[5].replaceAll("/.*", "/...")) : "[redacted]";
  }
}
