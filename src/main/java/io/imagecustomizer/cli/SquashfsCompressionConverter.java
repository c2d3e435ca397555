package io.imagecustomizer.cli;

import io.imagecustomizer.config.SquashfsCompression;
import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --squashfs-compression} as mksquashfs names it. */
final class SquashfsCompressionConverter implements ITypeConverter<SquashfsCompression> {
  @Override
  public SquashfsCompression convert(String value) {
    return SquashfsCompression.parse(value)
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "unknown squashfs compression \""
                        + value
                        + "\"; valid: "
                        + Arrays.stream(SquashfsCompression.values())
                            .map(SquashfsCompression::toolName)
                            .collect(Collectors.joining(", "))));
  }
}
