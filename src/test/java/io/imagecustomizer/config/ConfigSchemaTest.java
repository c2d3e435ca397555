package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class ConfigSchemaTest {
  private static final Path PUBLISHED = Path.of("docs/schema.json");
  private static final Schema SCHEMA =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(ConfigSchema.generate());

  /** Configs in older schemas are translated by the loader; editors only know the current one. */
  static Stream<Path> currentSchemaConfigs() throws IOException {
    return ConfigCorpusTest.validConfigs()
        .filter(p -> !p.getFileName().toString().startsWith("legacy-"));
  }

  @ParameterizedTest
  @MethodSource("currentSchemaConfigs")
  void docExamplesValidateAgainstTheSchema(Path file) throws IOException {
    JsonNode config = new YAMLMapper().readTree(Files.readString(file));

    List<Error> errors = SCHEMA.validate(config);

    assertThat(errors).isEmpty();
  }

  @Test
  void schemaRejectsUnknownFieldsAndBadEnums() {
    JsonNode config =
        new YAMLMapper().readTree("os:\n  hostnme: x\niso:\n  initramfsType: fullos\n");

    assertThat(SCHEMA.validate(config)).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void publishedSchemaIsUpToDate() throws IOException {
    String generated = ConfigSchema.generate().toPrettyString() + "\n";

    assertThat(Files.readString(PUBLISHED))
        .as("docs/schema.json is stale: run 'bin/imagecustomizer schema > docs/schema.json'")
        .isEqualTo(generated);
  }
}
