package dev.pave.logging.internal;

import dev.pave.logging.LoggingSettings;
import dev.pave.logging.spi.LogFieldContributor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

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
    contributed(settings, redactor).forEach(resource::putIfAbsent);
    return new EncoderOptions(resource, redactor, settings.maxStackTraceLength(), settings.maxFieldLength());
  }

  /** Fields from every {@link LogFieldContributor} on the class path, checked and redacted. */
  static Map<String, String> contributed(LoggingSettings settings, Redactor redactor) {
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, String> owners = new LinkedHashMap<>();
    for (LogFieldContributor contributor : ServiceLoader.load(LogFieldContributor.class, EncoderOptions.class.getClassLoader())) {
      String owner = contributor.getClass().getName();
      Map<String, String> offered;
      try {
        offered = contributor.fields(settings);
      } catch (RuntimeException | LinkageError e) {
        System.err.println("pave-logging: log field contributor " + owner + " failed and adds nothing: " + e);
        continue;
      }
      if (offered == null) {
        continue;
      }
      offered.forEach((name, value) -> {
        String problem = name == null || name.isBlank() ? "a blank name"
            : FieldNames.STANDARD.contains(name) ? "one of Pave's own fields"
            : owners.containsKey(name) ? "already added by " + owners.get(name)
            : value == null ? "a null value" : null;
        if (problem != null) {
          System.err.println("pave-logging: log field '" + name + "' of " + owner + " left out: " + problem);
          return;
        }
        owners.put(name, owner);
        fields.put(name, redactor.redact(value));
      });
    }
    return fields;
  }
}
