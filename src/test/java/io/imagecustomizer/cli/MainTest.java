package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.resource.Sha256;
import io.imagecustomizer.run.SummarySchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {
  private static final String VALID = "src/test/resources/config/valid/";
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  @Test
  void helpListsSubcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("customize", "validate-config", "schema");
  }

  @Test
  void customizeHelpListsUpstreamFlags() {
    assertThat(run("customize", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--build-dir",
            "--image-file",
            "--output-image-file",
            "--output-path",
            "--output-image-format",
            "--config-file",
            "--rpm-source",
            "--disable-base-image-rpm-repos",
            "--log-level");
  }

  @Test
  void versionPrintsToolName() {
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).startsWith("imagecustomizer ");
  }

  @Test
  void validConfigValidates() {
    assertThat(run("validate-config", "--config-file", VALID + "everything.yaml")).isZero();
    assertThat(err.toString()).doesNotContain("error");
  }

  @Test
  void summaryJsonIsWrittenWhenARunStopsAtItsConfig(@TempDir Path dir) throws IOException {
    Path summary = dir.resolve("reports/run.json");
    String legacy = VALID + "legacy-readme-packages-install.yaml";

    int code =
        run(
            "customize",
            "--build-dir",
            dir.resolve("build").toString(),
            "--config-file",
            legacy,
            "--image-file",
            dir.resolve("missing.qcow2").toString(),
            "--output-image-format",
            "iso",
            "--output-image-file",
            dir.resolve("out.iso").toString(),
            "--summary-json",
            summary.toString());

    assertThat(code).isEqualTo(2);
    assertThat(SummarySchema.validate(summary)).isEmpty();
    assertThat(summary)
        .content()
        .contains(
            "\"exitCode\" : 2",
            "missing.qcow2",
            "\"input\" : null",
            "\"outputFormat\" : \"iso\"",
            Path.of(legacy).toAbsolutePath().toString(),
            Sha256.of(Path.of(legacy)));
    assertThat(summary).content().containsPattern("\"warnings\" : \\[\\s*\"");
  }

  @Test
  void badConfigExitsWithTwoAndNamesFieldAndPosition() {
    int code =
        run(
            "validate-config",
            "--config-file",
            "src/test/resources/config/invalid/hostname-underscore.yaml");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("hostname-underscore.yaml:3:13: os.hostname: \"my_box\" is not a valid hostname")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void filesAreCheckedOnlyWhenAsked() {
    String config = "src/test/resources/config/invalid/users-missing-key-file.yaml";

    assertThat(run("validate-config", "--config-file", config)).isZero();
    assertThat(run("validate-config", "--config-file", config, "--validate-resources", "files"))
        .isEqualTo(2);
  }

  @Test
  void unknownOptionIsUsageError() {
    assertThat(run("validate-config", "--config-file", "x.yaml", "--frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("--frobnicate");
  }

  @Test
  void badOutputFormatListsValidOnes() {
    int code =
        run(
            "--build-dir",
            "b",
            "--config-file",
            VALID + "everything.yaml",
            "--output-image-format",
            "vmdk");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("vmdk", "vhd-fixed", "pxe-tar");
  }

  @Test
  void unknownSquashfsCompressionListsTheKnownOnes() {
    int code =
        run(
            "--build-dir",
            "b",
            "--config-file",
            VALID + "everything.yaml",
            "--squashfs-compression",
            "brotli");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("brotli", "zstd, xz, gzip, lz4, lzo");
  }

  @Test
  void flagsWithoutSubcommandMeanCustomize() {
    String[] args =
        Main.withDefaultSubcommand(
            new CommandLine(new RootCommand(Map.of())),
            "--build-dir",
            "b",
            "--config-file",
            "c.yaml");

    assertThat(args).containsExactly("customize", "--build-dir", "b", "--config-file", "c.yaml");
  }

  @Test
  void customizeReportsEveryMissingRunSetting(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve("c.yaml"), "os:\n  hostname: box\n");

    int code =
        run("--build-dir", dir.resolve("build").toString(), "--config-file", config.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("input image file must be specified")
        .contains("output image format must be specified")
        .contains("output image file must be specified");
  }

  @Test
  void aMalformedSourceDateEpochIsRefusedBeforeAnyWork(@TempDir Path dir) throws IOException {
    Path config = Files.writeString(dir.resolve("c.yaml"), "os:\n  hostname: box\n");
    Path build = dir.resolve("build");

    int code =
        Main.run(
            Map.of("SOURCE_DATE_EPOCH", "yesterday"),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "--build-dir",
            build.toString(),
            "--config-file",
            config.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("SOURCE_DATE_EPOCH='yesterday' is not a time")
        .contains("git log -1 --format=%ct");
    assertThat(build).doesNotExist();
  }

  @Test
  void commandLineOverridesConfigOutput(@TempDir Path dir) throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("c.yaml"), "output:\n  image:\n    format: cosi\n    path: out.cosi\n");
    Path image = Files.writeString(dir.resolve("base.raw"), "");

    run(
        "--build-dir", dir.resolve("build").toString(),
        "--config-file", config.toString(),
        "--image-file", image.toString(),
        "--output-image-format", "qcow2",
        "--output-image-file", dir.resolve("out.qcow2").toString());

    assertThat(err.toString()).doesNotContain("cosi is not supported");
  }

  @Test
  void schemaCommandPrintsJsonSchema() {
    assertThat(run("schema")).isZero();
    assertThat(out.toString()).contains("\"$schema\"", "\"additionalFiles\"");
  }
}
