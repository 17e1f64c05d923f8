package io.courier.common;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that calling this method twice has the same effect as calling it once, so a failed attempt may
 * be retried on another provider for any transport-level failure, not only when the request certainly
 * never reached a server. Application exceptions are never retried.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Idempotent {}
