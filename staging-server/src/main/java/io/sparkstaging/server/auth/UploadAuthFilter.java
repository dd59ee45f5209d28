package io.sparkstaging.server.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.sparkstaging.common.kubernetes.KubernetesNames;
import io.sparkstaging.common.wire.Headers;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;
import java.util.function.Function;

/** Runs the upload check on the routes marked {@link UploadAuthenticated}, before their body is read. */
@UploadAuthenticated
public final class UploadAuthFilter implements ContainerRequestFilter {
  private final UploadAuthenticator authenticator;
  private final FailedAttemptLimiter limiter;

  @Context
  private HttpServletRequest servletRequest;

  private final Function<String, String> ownerNamespace;
  private final MeterRegistry metrics;

  /** @param ownerNamespace the namespace of a {@code Bundle-Owner} header, refusing a malformed one as the upload would */
  public UploadAuthFilter(UploadAuthenticator authenticator, FailedAttemptLimiter limiter, Function<String, String> ownerNamespace,
      MeterRegistry metrics) {
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.ownerNamespace = ownerNamespace;
    this.metrics = metrics;
  }

  /** The namespace a request writes into: in its path (staging by digest), or in its {@code Bundle-Owner} header (v1 uploads). */
  private Optional<String> namespaceOf(ContainerRequestContext request) {
    String inPath = request.getUriInfo().getPathParameters().getFirst("namespace");
    if (inPath != null) {
      if (!KubernetesNames.isNamespace(inPath)) {
        throw new StagingException(Problem.BAD_REQUEST, "the path's namespace is not a valid Kubernetes namespace name");
      }
      return Optional.of(inPath);
    }
    String ownerHeader = request.getHeaderString(Headers.BUNDLE_OWNER);
    return ownerHeader == null ? Optional.empty() : Optional.of(ownerNamespace.apply(ownerHeader));
  }

  @Override
  public void filter(ContainerRequestContext request) {
    // The client, as --trusted-proxies resolve it behind an ingress; else the socket's peer.
    String address = servletRequest.getRemoteAddr();
    String credential = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    try {
      limiter.requireAllowed(address, credential);
      Optional<String> namespace = namespaceOf(request);
      authenticator.check(credential, namespace);
      if (credential != null) {
        limiter.recordSuccess(credential);
      }
    } catch (StagingException e) {
      if (e.problem() == Problem.UNAUTHORIZED) {
        limiter.recordFailure(address);
      }
      if (e.problem() == Problem.UNAUTHORIZED || e.problem() == Problem.FORBIDDEN || e.problem() == Problem.TOO_MANY_REQUESTS) {
        metrics.counter("staging.upload.auth.failures", "reason", e.problem().code()).increment();
      }
      throw e;
    }
  }
}
