package io.sparkstaging.server.auth;

import io.sparkstaging.server.errors.Problem;
import io.sparkstaging.server.errors.StagingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;

/** Runs the upload check on the routes marked {@link UploadAuthenticated}, before their body is read. */
@UploadAuthenticated
public final class UploadAuthFilter implements ContainerRequestFilter {
  private final UploadAuthenticator authenticator;
  private final FailedAttemptLimiter limiter;

  @Context private HttpServletRequest servletRequest;

  public UploadAuthFilter(UploadAuthenticator authenticator, FailedAttemptLimiter limiter) {
    this.authenticator = authenticator;
    this.limiter = limiter;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String address = servletRequest.getRemoteAddr();
    limiter.requireAllowed(address);
    try {
      authenticator.check(request.getHeaderString(HttpHeaders.AUTHORIZATION));
    } catch (StagingException e) {
      if (e.problem() == Problem.UNAUTHORIZED) {
        limiter.recordFailure(address);
      }
      throw e;
    }
  }
}
