package io.photoapp.jwt.audit;

import io.photoapp.jwt.policy.Finding;
import java.util.Map;

/** The item of the security guide's checklists each audit rule checks, as an auditor reads it in a report. */
public final class GuideRules {
  private static final String RANDOM_KEY = "Cryptographically random key of 64+ characters";
  private static final String ROTATION = "Rotate JWT secrets every 6 months";
  private static final Map<String, String> ITEMS = Map.ofEntries(
      Map.entry(WorkloadRules.LITERAL_SECRET, "No secrets in version control (never JWT_SECRET_KEY = \"...\" in code)"),
      Map.entry(WorkloadRules.UNMANAGED_KEY_SOURCE, ROTATION),
      Map.entry(WorkloadRules.DEBUG_IN_PRODUCTION, "Debug mode disabled in production"),
      Map.entry(WorkloadRules.TOKEN_LIFETIME_TOO_LONG, "JWT expiration too long for production (over 60 minutes)"),
      Map.entry(Finding.TOKEN_LIFETIME, "JWT expiration too long for production (over 60 minutes)"),
      Map.entry(Finding.WEAK_KEY, "No default/weak secrets in use"),
      Map.entry(Finding.LOW_ENTROPY, "No default/weak secrets in use"),
      Map.entry(Finding.MINIMUM_LENGTH, RANDOM_KEY),
      Map.entry(Finding.ENTROPY, RANDOM_KEY),
      Map.entry(Finding.KEY_SIZE, RANDOM_KEY),
      Map.entry(Finding.KEY_TYPE, RANDOM_KEY),
      Map.entry(Finding.KEY_CURVE, RANDOM_KEY),
      Map.entry(Finding.DUPLICATE_KEY, "Unique JWT secrets for each environment"),
      Map.entry(Finding.KEY_AGE, ROTATION),
      Map.entry(Finding.ROTATION_INTERVAL, ROTATION),
      Map.entry(Finding.GRACE_PERIOD, "Zero-downtime rotation (old tokens verify until they expire)"));

  private GuideRules() {}

  /** The checklist item, or null for the operator's own checks (a missing Secret, an invalid spec). */
  public static String itemOf(String rule) {
    return ITEMS.get(rule);
  }
}
