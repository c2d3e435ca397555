package io.imagecustomizer.cli;

import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.config.yaml.YamlNames;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --output-image-format} in the config's spelling ({@code vhd-fixed}, ...). */
final class OutputFormatConverter implements ITypeConverter<OutputFormat> {
  @Override
  public OutputFormat convert(String value) {
    return OutputFormat.parse(value)
        .orElseThrow(
            () ->
                new TypeConversionException(
                    "invalid image format type \""
                        + value
                        + "\"; valid: "
                        + String.join(", ", YamlNames.all(OutputFormat.class))));
  }
}
