package io.sparkstaging.common.wire;

/** The JSON body of every error response: a stable code and a sentence for humans. */
public record ErrorBody(String error, String message) {}
