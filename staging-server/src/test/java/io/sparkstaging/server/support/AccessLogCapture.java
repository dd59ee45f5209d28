package io.sparkstaging.server.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/** The access log's lines, as a test registers it: {@code @RegisterExtension AccessLogCapture accessLog = new AccessLogCapture();}. */
public final class AccessLogCapture implements BeforeEachCallback, AfterEachCallback {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger access = (Logger) LoggerFactory.getLogger("access");

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.start();
    access.addAppender(appender);
    access.setLevel(Level.INFO);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    access.detachAppender(appender);
    access.setLevel(null);
  }

  public int size() {
    return appender.list.size();
  }

  public List<String> lines() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
