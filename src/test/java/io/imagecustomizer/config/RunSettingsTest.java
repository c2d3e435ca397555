package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSettingsTest {
  /** The pull of a run whose input is a file: never called. */
  private static final Function<RunSettings.Pull, Path> NO_PULL =
      pull -> {
        throw new AssertionError("no pull expected: " + pull);
      };

  @TempDir Path dir;

  @Test
  void anIsoIsToldByItsSignatureWhateverItsName() throws IOException {
    assertThat(settings(iso("live.img")).inputIsIso()).isTrue();
  }

  @Test
  void aFileNamedIsoIsOneAsUpstreamDecidesSoItsChecksCanSayWhatIsWrong() throws IOException {
    assertThat(settings(file("junk.iso", 40_000)).inputIsIso()).isTrue();
    assertThat(settings(file("short.ISO", 100)).inputIsIso()).isTrue();
    assertThat(settings(dir.resolve("missing.iso")).inputIsIso()).isTrue();
  }

  @Test
  void otherFilesWithoutTheSignatureAreNoIso() throws IOException {
    assertThat(settings(file("disk.raw", 40_000)).inputIsIso()).isFalse();
    assertThat(settings(file("short.raw", 100)).inputIsIso()).isFalse();
  }

  @Test
  void formatChecksUseTheSameDecision() throws IOException {
    Path input = iso("live.img");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "os:\n  hostname: box\n");
    RunSettings.CommandLine cli =
        new RunSettings.CommandLine(
            dir.resolve("build"),
            input,
            null,
            null,
            dir.resolve("out.raw"),
            OutputFormat.RAW,
            List.of(),
            false,
            null,
            SquashfsCompression.DEFAULT,
            null,
            null);

    assertThatThrownBy(() -> RunSettings.resolve(ConfigChain.load(config), cli, NO_PULL))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot generate output format raw from an ISO input");
  }

  @Test
  void aBiosOnlyLayoutCannotBecomeALiveOs() throws IOException {
    Path config = dir.resolve("legacy.yaml");
    Files.writeString(
        config,
        """
        storage:
          bootType: legacy
          disks:
          - maxSize: 4G
            partitions:
            - id: biosgrub
              type: bios-grub
              start: 1M
              size: 4M
            - id: root
              size: grow
          filesystems:
          - deviceId: root
            type: ext4
            mountPoint: /
        os:
          bootloader:
            resetType: hard-reset
        """);
    RunSettings.CommandLine cli =
        new RunSettings.CommandLine(
            dir.resolve("build"),
            file("disk.raw", 40_000),
            null,
            null,
            dir.resolve("out.iso"),
            OutputFormat.ISO,
            List.of(),
            false,
            null,
            SquashfsCompression.DEFAULT,
            null,
            null);

    assertThatThrownBy(() -> RunSettings.resolve(ConfigChain.load(config), cli, NO_PULL))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("legacy.yaml:2:13: storage.bootType: a Live OS boots with the shim")
        .hasMessageContaining("add an esp partition");
  }

  @Test
  void outputArtifactsGoBesideTheConfigAndNeedADiskOutput() throws IOException {
    Path config = dir.resolve("signing/artifacts.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(
        config,
        """
        output:
          artifacts:
            path: ./out
            items: [shim, bootloader]
        previewFeatures: [output-artifacts]
        """);
    Path disk = file("disk.raw", 40_000);

    RunSettings raw =
        RunSettings.resolve(ConfigChain.load(config), cli(disk, OutputFormat.RAW), NO_PULL);
    assertThat(raw.artifactsFolder()).isEqualTo(dir.resolve("signing/out"));
    assertThatThrownBy(
            () ->
                RunSettings.resolve(ConfigChain.load(config), cli(disk, OutputFormat.ISO), NO_PULL))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("output.artifacts: not supported with a Live OS output");
  }

  @Test
  void aSnapshotTimeOnTheCommandLineNeedsThePreviewAndADate() throws IOException {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "os:\n  hostname: box\n");
    RunSettings.CommandLine cli =
        new RunSettings.CommandLine(
            dir.resolve("build"),
            file("disk.raw", 40_000),
            null,
            null,
            dir.resolve("out.raw"),
            OutputFormat.RAW,
            List.of(),
            false,
            "last tuesday",
            SquashfsCompression.DEFAULT,
            null,
            null);

    assertThatThrownBy(() -> RunSettings.resolve(ConfigChain.load(config), cli, NO_PULL))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "preview feature 'package-snapshot-time' required to specify package snapshot time")
        .hasMessageContaining("--package-snapshot-time \"last tuesday\" is not a date");
  }

  private RunSettings.CommandLine cli(Path input, OutputFormat format) {
    return new RunSettings.CommandLine(
        dir.resolve("build"),
        input,
        null,
        null,
        dir.resolve("out." + format.toString().toLowerCase(java.util.Locale.ROOT)),
        format,
        List.of(),
        false,
        null,
        SquashfsCompression.DEFAULT,
        null,
        null);
  }

  @Test
  void aVerityImageIsCustomizedAgainOnlyIntoADiskImage() throws IOException {
    Path config = dir.resolve("reinit.yaml");
    Files.writeString(
        config,
        """
        previewFeatures: [reinitialize-verity]
        storage:
          reinitializeVerity: all
        """);
    for (OutputFormat format : List.of(OutputFormat.ISO, OutputFormat.COSI)) {
      RunSettings.CommandLine cli = cli(file("disk.raw", 40_000), format);

      assertThatThrownBy(() -> RunSettings.resolve(ConfigChain.load(config), cli, NO_PULL))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining(
              "reinit.yaml:3:23: storage.reinitializeVerity: not supported yet: a "
                  + format
                  + " output of a verity image");
    }
  }

  private Path iso(String name) throws IOException {
    Path file = file(name, 40_000);
    byte[] bytes = Files.readAllBytes(file);
    bytes[32768] = 1;
    System.arraycopy("CD001".getBytes(StandardCharsets.US_ASCII), 0, bytes, 32769, 5);
    return Files.write(file, bytes);
  }

  private Path file(String name, int size) throws IOException {
    return Files.write(dir.resolve(name), new byte[size]);
  }

  private RunSettings settings(Path input) {
    LoadedConfig loaded = ConfigLoader.parse("os:\n", dir.resolve("config.yaml"));
    return new RunSettings(
        new ConfigChain(List.of(loaded)),
        loaded,
        dir,
        input,
        OutputFormat.ISO,
        dir.resolve("out.iso"),
        List.of(),
        false,
        null,
        SquashfsCompression.DEFAULT,
        9,
        null);
  }
}
