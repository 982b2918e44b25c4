package io.photoapp.jwt.restart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Two JwtSecrets that roll one workload never overwrite each other's annotation (DESIGN section 6), so
 * two names of a namespace never share one.
 */
class KeySetAnnotationTest {
  private static final String PREFIX = "jwt.photoapp.io/key-set.";

  @Test
  void namesUpToFortyCharactersAreKeptAndLongerOnesShortenedAsBefore() {
    assertThat(KeySetAnnotation.nameFor("photoapp-jwt")).isEqualTo(PREFIX + "photoapp-jwt");
    String forty = "a".repeat(40);
    assertThat(KeySetAnnotation.nameFor(forty)).isEqualTo(PREFIX + forty);
    // The ids already on pod templates do not change: 31 characters, '-', 8 hex digits of SHA-256.
    assertThat(KeySetAnnotation.nameFor("photoapp-backend-signing-key-for-production-eu"))
        .isEqualTo(PREFIX + "photoapp-backend-signing-key-fo-fd702e1e");
  }

  /**
   * A name of 40 characters made to look like a long name's shortened one (a namespace user who wants
   * the workload that another JwtSecret rolls to flap between two key sets) gets an annotation of its own.
   */
  @Test
  void aFortyCharacterNameOfTheShortenedFormIsNotAnotherJwtSecretsAnnotation() {
    String victim = "photoapp-backend-signing-key-for-production-eu";
    String squatter = KeySetAnnotation.nameFor(victim).substring(PREFIX.length());
    assertThat(squatter).hasSize(40);
    assertThat(KeySetAnnotation.nameFor(squatter)).isNotEqualTo(KeySetAnnotation.nameFor(victim))
        .startsWith(PREFIX + squatter.substring(0, 31) + "-");
    assertThat(KeySetAnnotation.nameFor(squatter).length() - PREFIX.length()).isEqualTo(40);
  }
}
