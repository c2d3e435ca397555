package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigChainTest {
  private static final Path VALID = ConfigCorpusTest.CORPUS.resolve("valid").toAbsolutePath();

  @Test
  void basesComeFirstAndSingleValuesTakeTheLast() {
    ConfigChain chain = ConfigChain.load(VALID.resolve("with-base.yaml"));
    chain.validate(true);
    Config merged = chain.merged().config();

    assertThat(chain.members())
        .extracting(m -> m.file().getFileName().toString())
        .containsExactly("common.yaml", "with-base.yaml");
    assertThat(merged.os().hostname()).isEqualTo("edge-01");
    assertThat(merged.os().extraCommandLine()).containsExactly("console=ttyS0", "quiet");
    assertThat(merged.iso().additionalFiles().get(0).source())
        .isEqualTo(VALID.resolve("base/motd").toString());
  }

  @Test
  void membersKeepTheirOwnFolderForRelativePaths() {
    ConfigChain chain = ConfigChain.load(VALID.resolve("with-base.yaml"));
    LoadedConfig base = chain.members().get(0);

    assertThat(base.resolve(base.config().os().additionalFiles().get(0).source()))
        .isEqualTo(VALID.resolve("base/motd"));
  }

  @Test
  void cyclesAreReportedWithTheWayAround(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("a.yaml"), "previewFeatures: [base-configs]\nbaseConfigs:\n- path: b.yaml\n");
    Files.writeString(
        dir.resolve("b.yaml"), "previewFeatures: [base-configs]\nbaseConfigs:\n- path: a.yaml\n");

    assertThatThrownBy(() -> ConfigChain.load(dir.resolve("a.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "b.yaml:3:9: baseConfigs[0].path: cycle in baseConfigs: a.yaml -> b.yaml -> a.yaml");
  }

  @Test
  void problemsInABaseNameTheBaseFile(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("base.yaml"), "os:\n  hostname: bad_name\n");
    Files.writeString(
        dir.resolve("main.yaml"),
        "previewFeatures: [base-configs]\nbaseConfigs:\n- path: base.yaml\n");

    assertThatThrownBy(() -> ConfigChain.load(dir.resolve("main.yaml")).validate(false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(dir.resolve("base.yaml") + ":2:13: os.hostname");
  }

  @Test
  void theMergedOsCarriesEveryConfigsOverlaysInOrder(@TempDir Path dir) throws IOException {
    String overlay =
        "os:\n  overlays:\n  - lowerDirs: [/%s]\n    upperDir: /var/o/%s/upper\n"
            + "    workDir: /var/o/%s/work\n    mountPoint: /%s\n";
    Files.writeString(dir.resolve("base.yaml"), overlay.formatted("etc", "etc", "etc", "etc"));
    Files.writeString(
        dir.resolve("main.yaml"),
        "previewFeatures: [base-configs]\nbaseConfigs:\n- path: base.yaml\n"
            + overlay.formatted("opt", "opt", "opt", "opt"));

    assertThat(ConfigChain.load(dir.resolve("main.yaml")).merged().config().os().overlays())
        .extracting(Overlay::mountPoint)
        .containsExactly("/etc", "/opt");
  }

  @Test
  void storageMayBeInOneConfigOnly(@TempDir Path dir) throws IOException {
    String storage =
        "storage:\n  resetPartitionsUuidsType: reset-all\nos:\n  bootloader:\n    resetType: hard-reset\n";
    Files.writeString(dir.resolve("base.yaml"), storage);
    Files.writeString(
        dir.resolve("main.yaml"),
        "previewFeatures: [base-configs]\nbaseConfigs:\n- path: base.yaml\n" + storage);

    assertThatThrownBy(() -> ConfigChain.load(dir.resolve("main.yaml")).validate(false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("storage may only be given in one config");
  }
}
