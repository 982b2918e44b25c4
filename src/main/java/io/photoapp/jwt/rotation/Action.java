package io.photoapp.jwt.rotation;

/** What a reconcile does to the keys. Every action but NONE and HOLD writes the Secret once. */
public enum Action {
  /** Nothing to do until the next check. */
  NONE,
  /** A rotation is due but cannot start (the spec cannot make a compliant key); nothing is written. */
  HOLD,
  /** No usable Secret yet: generate the first key. */
  CREATE,
  /** Take over a pre-existing Secret whose key the profile accepts. */
  ADOPT,
  /** Staged, stage 1: the next key is published, verify-only. */
  PUBLISH,
  /** Next (or, for Direct, a new key) becomes current; current becomes previous. */
  SWITCH,
  /** The switch rollout completed: the previous key's expiry is fixed. */
  MARK_RETIRING,
  /** The previous key's grace ended: it leaves the Secret. */
  RETIRE,
  /** A new current key and nothing else: every outstanding token stops verifying. */
  EMERGENCY
}
