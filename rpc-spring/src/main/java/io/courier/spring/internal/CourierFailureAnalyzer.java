package io.courier.spring.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link CourierConfigurationException} anywhere in a start-up failure into Spring Boot's "APPLICATION FAILED
 * TO START" report: the property and its value, what is wrong, and what to do instead of a stack trace.
 */
public final class CourierFailureAnalyzer extends AbstractFailureAnalyzer<CourierConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, CourierConfigurationException cause) {
    String description = "Courier could not start: " + cause.getMessage();
    Throwable detail = cause.getCause();
    if (detail != null && detail.getMessage() != null && !cause.getMessage().contains(detail.getMessage())) {
      description += "\n\nReason: " + detail.getMessage();
    }
    return new FailureAnalysis(description, cause.action(), cause);
  }
}
