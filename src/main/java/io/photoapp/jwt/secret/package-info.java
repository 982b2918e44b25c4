/**
 * The objects a JwtSecret owns, and their one writer: its Secret ({@link io.photoapp.jwt.secret.SecretCodec}
 * encodes the key state into it and reads it back) and its public keys' ConfigMap
 * ({@link io.photoapp.jwt.secret.JwksConfigMap}); the informers' copies of both
 * ({@link io.photoapp.jwt.secret.CachedCopies}, {@code PrunedSecret}, {@code PrunedConfigMap}); whose
 * they are ({@link io.photoapp.jwt.secret.Ownership}, {@link io.photoapp.jwt.secret.OwnershipVerdict},
 * {@link io.photoapp.jwt.secret.AdoptionRules}, {@link io.photoapp.jwt.secret.Succession}); and
 * {@link io.photoapp.jwt.secret.OwnedObjects}, which looks up, creates and patches either kind. The key
 * state they carry is {@code rotation}'s ({@link io.photoapp.jwt.rotation.KeyState}).
 */
package io.photoapp.jwt.secret;
