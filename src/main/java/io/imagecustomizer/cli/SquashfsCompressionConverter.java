package io.imagecustomizer.cli;

import io.imagecustomizer.config.SquashfsCompression;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --squashfs-compression} as mksquashfs names it, with an optional level. */
final class SquashfsCompressionConverter implements ITypeConverter<SquashfsCompression> {
  @Override
  public SquashfsCompression convert(String value) {
    try {
      return SquashfsCompression.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }
}
