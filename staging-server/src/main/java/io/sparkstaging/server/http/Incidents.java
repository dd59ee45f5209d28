package io.sparkstaging.server.http;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A failure the server did not choose (a bug, an outage, memory running out): the client gets an
 * incident id and nothing internal, the log gets the same id beside the stack trace.
 */
final class Incidents {
  private static final Logger log = LoggerFactory.getLogger(Incidents.class);

  private Incidents() {}

  /** @return the message for the client */
  static String report(Throwable cause) {
    String incident = UUID.randomUUID().toString();
    log.error("Internal error, incident {}", incident, cause);
    return "internal error; the server log has details under incident " + incident;
  }
}
