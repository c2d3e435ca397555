package io.imagecustomizer.config.yaml;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A shorter YAML form that a config type or field also accepts, because upstream (or its older
 * documentation, which users copy from) writes it that way. The loader rewrites the short form into
 * the canonical one before binding, and the JSON schema offers both.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER})
public @interface YamlShape {
  Kind value();

  /** For {@link Kind#SCALAR_AS_FIELD}: the field a lone scalar fills. */
  String field() default "";

  enum Kind {
    /** A scalar stands for the object with only {@link #field()} set. */
    SCALAR_AS_FIELD,
    /** {@code a/b} stands for the object whose first two fields are a and b. */
    SLASH_SEPARATED,
    /** A scalar stands for a one-element list. */
    SCALAR_AS_LIST,
    /**
     * A mapping {@code source: destination} stands for a list of additional files; the value may
     * also be {@code {path, permissions}} or a list of those (the older documented form).
     */
    SOURCE_DESTINATION_MAP
  }
}
