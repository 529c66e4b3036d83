package io.pathprobe.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The request builder's word an option sets ({@code firstTtl}, {@code destinationPort}): where a request's check
 * names it ({@code firstTtl 5 is beyond maxTtl 3}), the command's error says the option's first name instead
 * ({@code -f 5 is beyond -m 3}). {@link PathProbeCli#apiWords} reads it from the command's options, mixins included.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
@interface ApiWord {
    /** {@return the builder method's name} */
    String value();

    /** {@return the option's name the error says, where it is not the first ({@code ""}: the first)} */
    String name() default "";
}
