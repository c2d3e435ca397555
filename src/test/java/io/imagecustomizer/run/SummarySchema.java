package io.imagecustomizer.run;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** {@code docs/summary.schema.json}, the published shape of {@code --summary-json}. */
public final class SummarySchema {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Schema SCHEMA =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(JSON.readTree(read(Path.of("docs/summary.schema.json"))));

  private SummarySchema() {}

  /** What is wrong with a summary file; empty when it fits the schema. */
  public static List<Error> validate(Path summary) {
    return SCHEMA.validate(JSON.readTree(read(summary)));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
