/**
 * A JwtSecret's key lifecycle: its state ({@link io.photoapp.jwt.rotation.KeyState} of
 * {@link io.photoapp.jwt.rotation.StoredKey}s: current, next, previous, phase), and the pure decisions on
 * it (the {@link io.photoapp.jwt.rotation.RotationPlanner}, its stages in
 * {@link io.photoapp.jwt.rotation.RotationPlan}, the {@link io.photoapp.jwt.rotation.KeyRequestThrottle}).
 * How the state is written into a Secret is {@code secret}'s business.
 */
package io.photoapp.jwt.rotation;
