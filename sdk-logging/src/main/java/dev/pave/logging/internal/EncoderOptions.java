package dev.pave.logging.internal;

import dev.pave.logging.LoggingSettings;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What an encoder needs from {@link LoggingSettings}: the resource fields in output order, the
 * redactor and the stack trace cap.
 */
public record EncoderOptions(Map<String, String> resource, Redactor redactor, int maxStackTraceLength,
    int maxFieldLength) {

  public EncoderOptions {
    resource = Collections.unmodifiableMap(new LinkedHashMap<>(resource));
    Objects.requireNonNull(redactor, "redactor");
  }

  /** The options for {@code settings}. */
  public static EncoderOptions from(LoggingSettings settings) {
    Map<String, String> resource = new LinkedHashMap<>();
    resource.put(FieldNames.SERVICE_NAME, settings.serviceName());
    resource.put(FieldNames.SERVICE_VERSION, settings.serviceVersion());
    resource.put(FieldNames.ENVIRONMENT, settings.deploymentEnvironment());
    settings.kubernetesPodName().ifPresent(pod -> resource.put(FieldNames.POD_NAME, pod));
    settings.kubernetesNamespace().ifPresent(ns -> resource.put(FieldNames.NAMESPACE, ns));
    Redactor redactor =
        settings.redactionEnabled() ? Redactor.create(settings.redactionPatterns()) : Redactor.disabled();
    return new EncoderOptions(resource, redactor, settings.maxStackTraceLength(), settings.maxFieldLength());
  }
}
