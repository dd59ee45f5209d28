package io.sparkstaging.server.auth;

import io.sparkstaging.common.wire.Headers;
import io.micrometer.core.instrument.MeterRegistry;
import io.sparkstaging.server.errors.Problem;
import io.sparkstaging.server.errors.StagingException;
import io.sparkstaging.server.upload.OwnerParser;
import io.sparkstaging.server.upload.V1UploadResource;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;

/** Runs the upload check on the routes marked {@link UploadAuthenticated}, before their body is read. */
@UploadAuthenticated
public final class UploadAuthFilter implements ContainerRequestFilter {
  private final UploadAuthenticator authenticator;
  private final FailedAttemptLimiter limiter;

  @Context private HttpServletRequest servletRequest;

  private final OwnerParser owners;
  private final MeterRegistry metrics;

  public UploadAuthFilter(UploadAuthenticator authenticator, FailedAttemptLimiter limiter, OwnerParser owners, MeterRegistry metrics) {
    this.authenticator = authenticator;
    this.limiter = limiter;
    this.owners = owners;
    this.metrics = metrics;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    // The client, as --trusted-proxies resolve it behind an ingress; else the socket's peer.
    String address = servletRequest.getRemoteAddr();
    String credential = request.getHeaderString(HttpHeaders.AUTHORIZATION);
    try {
      limiter.requireAllowed(address, credential);
      String ownerHeader = request.getHeaderString(Headers.BUNDLE_OWNER);
      Optional<String> namespace = ownerHeader == null ? Optional.empty() : Optional.of(owners.parse(ownerHeader).ownerNamespace());
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
