package io.sparkstaging.server.lifecycle;

import io.sparkstaging.common.wire.Routes;
import io.sparkstaging.common.wire.Statuses;
import io.sparkstaging.server.store.BundleRecord;
import io.sparkstaging.server.store.BundleStore;
import io.sparkstaging.server.token.BundleAccess;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lets whoever holds a bundle's secret delete it as soon as it is no longer needed. */
@Path(Routes.V1_BUNDLES + "/{id}")
public final class DeleteResource {
  private static final Logger log = LoggerFactory.getLogger(DeleteResource.class);

  private final BundleAccess access;
  private final BundleStore store;

  public DeleteResource(BundleAccess access, BundleStore store) {
    this.access = access;
    this.store = store;
  }

  @DELETE
  public Response delete(@PathParam("id") String id, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization)
      throws IOException {
    BundleRecord record = access.authorize(id, authorization);
    if (store.delete(record.id())) {
      log.info("Deleted bundle {} of namespace {} at its owner's request", record.id(), record.owner().ownerNamespace());
    }
    return Response.status(Statuses.DELETED).build();
  }
}
