package io.photoapp.jwt.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code operator: {}}: the operator's own pod identity; the same as {@code operatorIdentity: true}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OperatorIdentity {}
