package dev.pave.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a record component takes when no source sets its key, written as configuration text
 * ({@code "5s"}, {@code "512KiB"}, {@code "a,b"}) and converted like any other value.
 *
 * <pre>{@code
 * record LifecycleConfig(@DefaultValue("5s") Duration drainDelay) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER})
public @interface DefaultValue {

  /** The default, as configuration text. */
  String value();
}
