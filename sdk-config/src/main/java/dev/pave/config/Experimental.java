package dev.pave.config;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks API of any Pave module that may still change or go away in a minor version, as grpc-java's
 * {@code @ExperimentalApi} does (it lives in sdk-config, the module every other one depends on,
 * as grpc-java keeps its annotation in {@code grpc-api}). Everything not marked follows the
 * CHANGELOG's compatibility promise; a service that uses marked API should expect to adapt it on a
 * version bump, and the CHANGELOG says when it changes.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD, ElementType.PACKAGE})
public @interface Experimental {

  /** Why the API may change, or the issue that will settle it. */
  String value() default "";
}
