package io.photoapp.jwt.secret;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.photoapp.jwt.api.JwtSecret;
import io.photoapp.jwt.spec.EffectiveSpec;
import java.util.function.BooleanSupplier;

/**
 * Whether a JwtSecret may write an existing Secret or public keys' ConfigMap, and as what: its own,
 * adopted (foreign, with {@code adopt: true}), taken over from a former uid (a restore), or not at all
 * (a conflict, or an adoption rule broken). Pure: the caller says whether the recorded owner lives.
 */
public record OwnershipVerdict(Standing standing, String message) {
  /** What the object is to the JwtSecret at hand. */
  public enum Standing {
    /** Made by the operator for this JwtSecret. */
    OURS,
    /** Not the operator's, and {@code adopt: true} takes it over. */
    ADOPTABLE,
    /** Names this JwtSecret with a uid that no longer exists: taken over, no rotation. */
    RESTORABLE,
    /** Someone else's, or another JwtSecret's: {@code SecretConflict}. */
    CONFLICT,
    /** Adoptable but for a rule it breaks: {@code AdoptionRefused}. */
    REFUSED
  }

  public static final OwnershipVerdict OURS = new OwnershipVerdict(Standing.OURS, null);

  /**
   * The verdict on an existing object.
   *
   * @param formerOwnerLive whether a JwtSecret with the uid the object records as its owner exists (asked
   *     only of an object managed for another uid)
   */
  public static OwnershipVerdict of(HasMetadata object, JwtSecret resource, EffectiveSpec spec, BooleanSupplier formerOwnerLive) {
    return switch (Ownership.of(object, resource)) {
      case OURS -> OURS;
      case OTHER_JWTSECRET -> succession(Succession.claim(object, resource, formerOwnerLive.getAsBoolean(), Ownership.allowedDataKeys(object, spec)));
      case FOREIGN -> foreign(object, spec);
    };
  }

  private static OwnershipVerdict succession(Succession.Claim claim) {
    if (claim instanceof Succession.Conflict c) {
      return new OwnershipVerdict(Standing.CONFLICT, c.message());
    }
    if (claim instanceof Succession.Refused r) {
      return new OwnershipVerdict(Standing.REFUSED, r.refusal().message());
    }
    return new OwnershipVerdict(Standing.RESTORABLE, null);
  }

  private static OwnershipVerdict foreign(HasMetadata object, EffectiveSpec spec) {
    if (!spec.adopt()) {
      String kind = object instanceof ConfigMap ? "ConfigMap " : "Secret ";
      return new OwnershipVerdict(Standing.CONFLICT, kind + object.getMetadata().getName()
          + " exists and was not created by the operator; set spec.secret.adopt: true to take it over");
    }
    String refusal = Ownership.adoptionRefusal(object, spec);
    return refusal == null ? new OwnershipVerdict(Standing.ADOPTABLE, null) : new OwnershipVerdict(Standing.REFUSED, refusal);
  }

  /** Whether the JwtSecret may write it. */
  public boolean writable() {
    return standing == Standing.OURS || standing == Standing.ADOPTABLE || standing == Standing.RESTORABLE;
  }
}
