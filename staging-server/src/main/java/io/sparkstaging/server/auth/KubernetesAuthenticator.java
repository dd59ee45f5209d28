package io.sparkstaging.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.sparkstaging.common.wire.Problem;
import io.sparkstaging.server.errors.StagingException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Uploads with the uploader's own Kubernetes identity: its bearer token is checked with a
 * TokenReview, and the upload is allowed only if a SubjectAccessReview says that user may create
 * pods in the owner's namespace (as submitting the application will). Decisions are cached briefly,
 * keyed by the token's digest; tokens are never logged.
 */
public final class KubernetesAuthenticator implements UploadAuthenticator {
  private static final String BEARER = "bearer ";

  private final KubernetesClient client;
  private final Cache<String, UserInfo> users;
  private final Cache<String, Boolean> decisions;

  public KubernetesAuthenticator(KubernetesClient client, Duration cacheFor) {
    this.client = client;
    this.users = Caffeine.newBuilder().expireAfterWrite(cacheFor).maximumSize(10_000).build();
    this.decisions = Caffeine.newBuilder().expireAfterWrite(cacheFor).maximumSize(10_000).build();
  }

  @Override
  public void check(String authorization, Optional<String> namespace) {
    if (namespace.isEmpty()) {
      throw new UploadUnauthorized(UploadUnauthorized.Wanted.KUBERNETES,
          "with Kubernetes upload authentication, upload with the v1 API: its Bundle-Owner header names the namespace before the body");
    }
    if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new UploadUnauthorized(UploadUnauthorized.Wanted.KUBERNETES, "uploads need Authorization: Bearer <your Kubernetes token>");
    }
    String token = StaticTokenAuthenticator.bearerToken(authorization);
    String tokenKey = HexFormat.of().formatHex(StaticTokenAuthenticator.sha256(token));
    UserInfo user = users.get(tokenKey, key -> review(token));
    if (user == null) {
      throw new UploadUnauthorized(UploadUnauthorized.Wanted.KUBERNETES, "the Kubernetes API server did not accept the token");
    }
    boolean allowed = decisions.get(tokenKey + "/" + namespace.get(), key -> mayCreatePods(user, namespace.get()));
    if (!allowed) {
      throw new StagingException(Problem.FORBIDDEN, "this user may not create pods in namespace " + namespace.get()
          + ", so may not stage bundles for it");
    }
  }

  /** The authenticated user, or null when the token is not valid. */
  private UserInfo review(String token) {
    try {
      TokenReview review = client.resource(new TokenReviewBuilder().withNewSpec().withToken(token).endSpec().build()).create();
      return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAuthenticated()) ? review.getStatus().getUser() : null;
    } catch (KubernetesClientException e) {
      throw unavailable(e);
    }
  }

  private boolean mayCreatePods(UserInfo user, String namespace) {
    try {
      SubjectAccessReview review = client.resource(new SubjectAccessReviewBuilder().withNewSpec()
          .withUser(user.getUsername()).withGroups(user.getGroups()).withUid(user.getUid()).withExtra(user.getExtra())
          .withNewResourceAttributes().withNamespace(namespace).withVerb("create").withResource("pods").endResourceAttributes()
          .endSpec().build()).create();
      return review.getStatus() != null && Boolean.TRUE.equals(review.getStatus().getAllowed());
    } catch (KubernetesClientException e) {
      throw unavailable(e);
    }
  }

  /** The API server could not decide: a 503, not a refusal, so the client knows to retry. */
  private static StagingException unavailable(KubernetesClientException e) {
    return new StagingException(Problem.UNAVAILABLE,
        "the Kubernetes API server could not check the upload credential (HTTP " + e.getCode() + ")", e);
  }
}
