package io.imagecustomizer.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/** Keeps every warning (and error) logged during a run, for {@code --summary-json}. */
final class WarningLog extends AppenderBase<ILoggingEvent> {
  private final List<String> warnings = new ArrayList<>();

  @Override
  protected synchronized void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      warnings.add(event.getFormattedMessage());
    }
  }

  synchronized List<String> warnings() {
    return List.copyOf(warnings);
  }
}
