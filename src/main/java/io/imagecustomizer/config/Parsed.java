package io.imagecustomizer.config;

import org.jspecify.annotations.Nullable;

/**
 * A value read from config text, or what is wrong with the text. The rules report an {@link
 * Invalid} at the field's path; code that runs after validation can read the value without parsing
 * the text a second way.
 */
public sealed interface Parsed<T> {
  /** The text stood for this value. */
  record Valid<T>(T value) implements Parsed<T> {}

  /** The text was wrong: why, and what to write instead when that is not obvious. */
  record Invalid<T>(String message, @Nullable String hint) implements Parsed<T> {}
}
