package io.photoapp.jwt.audit;

import io.photoapp.jwt.policy.Finding;

/**
 * A finding about a workload: where it is (container, variable, the Secret read) and the key id of a
 * literal value, never the value.
 */
public record WorkloadFinding(String kind, String namespace, String name, String container, String variable,
    String secret, String keyId, Finding finding) {}
