package io.sparkstaging.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.sparkstaging.server.config.ServerConfig.LogFormat;
import org.slf4j.LoggerFactory;

/** Switches logging to the format the configuration asks for, once it is known. */
public final class LogFormats {
  private LogFormats() {}

  /** Text is logback.xml, loaded at start; JSON replaces it with logback-json.xml. */
  public static void apply(LogFormat format) {
    if (format == LogFormat.text || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      return;
    }
    var configurator = new JoranConfigurator();
    configurator.setContext(context);
    context.reset();
    try {
      configurator.doConfigure(LogFormats.class.getResource("/logback-json.xml"));
    } catch (JoranException e) {
      throw new IllegalStateException("logback-json.xml, shipped in the jar, does not load", e);
    }
  }
}
