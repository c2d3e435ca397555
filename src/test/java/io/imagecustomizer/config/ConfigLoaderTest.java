package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.config.yaml.Position;
import io.imagecustomizer.config.yaml.Problem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private static final Path VALID = ConfigCorpusTest.CORPUS.resolve("valid");
  private static final Path HERE = Path.of("/cfg/config.yaml");

  @Test
  void readsIsoMediaCloudInitExampleWithMapFormFiles() {
    Config config = ConfigLoader.load(VALID.resolve("liveos-iso-media-cloud-init.yaml")).config();

    assertThat(config.iso().additionalFiles())
        .extracting(AdditionalFile::source, AdditionalFile::destination)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "cloud-init-data/user-data", "/cloud-init-data/user-data"),
            org.assertj.core.groups.Tuple.tuple(
                "cloud-init-data/network-config", "/cloud-init-data/network-config"),
            org.assertj.core.groups.Tuple.tuple(
                "cloud-init-data/meta-data", "/cloud-init-data/meta-data"));
    assertThat(config.iso().extraCommandLine()).containsExactly("ds=nocloud");
    assertThat(config.scripts().postCustomization()).hasSize(1);
    assertThat(config.scripts().postCustomization().get(0).content())
        .contains("ln -s -T /run/initramfs/live/cloud-init-data /var/lib/cloud/seed/nocloud");
  }

  @Test
  void acceptsExtraCommandLineAsOneString() {
    Config config = ConfigLoader.load(VALID.resolve("liveos-string-command-line.yaml")).config();

    assertThat(config.iso().extraCommandLine()).containsExactly("ds=nocloud");
  }

  @Test
  void readsRootfsCloudInitExampleIntoOsSection() {
    Config config = ConfigLoader.load(VALID.resolve("liveos-rootfs-cloud-init.yaml")).config();

    assertThat(config.iso()).isNull();
    assertThat(config.os().extraCommandLine()).containsExactly("ds=nocloud");
    assertThat(config.os().additionalFiles())
        .extracting(AdditionalFile::destination)
        .containsExactly(
            "/var/lib/cloud/seed/nocloud/user-data",
            "/var/lib/cloud/seed/nocloud/network-config",
            "/var/lib/cloud/seed/nocloud/meta-data");
  }

  @Test
  void translatesMarinerSchemaWithWarning() {
    LoadedConfig loaded = ConfigLoader.load(VALID.resolve("legacy-mariner-iso-media.yaml"));
    Config config = loaded.config();

    assertThat(loaded.warnings()).anyMatch(w -> w.contains("Mariner"));
    assertThat(config.iso().extraCommandLine())
        .containsExactly("ds=nocloud;s=file://run/initramfs/live/cloud-init-data");
    assertThat(config.iso().additionalFiles()).hasSize(3);
    User user = config.os().users().get(0);
    assertThat(user.name()).isEqualTo("test");
    assertThat(user.password())
        .isEqualTo(new User.Password(User.PasswordType.PLAIN_TEXT, "testpassword"));
    assertThat(user.primaryGroup()).isEqualTo("sudo");
  }

  @Test
  void hoistsSystemConfigNestedUnderIso() {
    Config config = ConfigLoader.load(VALID.resolve("legacy-mariner-iso-rootfs.yaml")).config();

    assertThat(config.iso().extraCommandLine())
        .containsExactly("ds=nocloud;s=file://cloud-init-data");
    assertThat(config.os().users()).extracting(User::name).containsExactly("test");
    assertThat(config.os().additionalFiles())
        .extracting(AdditionalFile::destination)
        .contains("/cloud-init-data/user-data");
  }

  @Test
  void readsFlatPackageFieldsOfEarlyConfigs() {
    LoadedConfig loaded = ConfigLoader.load(VALID.resolve("legacy-readme-packages-install.yaml"));

    assertThat(loaded.config().os().packages().install()).containsExactly("dnf");
    assertThat(loaded.warnings()).anyMatch(w -> w.contains("os.packages.install"));
  }

  @Test
  void readsEveryFieldOfTheFullExample() {
    LoadedConfig loaded = ConfigLoader.load(VALID.resolve("everything.yaml"));
    Config config = loaded.config();

    assertThat(loaded.problems()).isEmpty();
    assertThat(config.input().image().path()).isEqualTo("base.qcow2");
    assertThat(config.output().image().format()).isEqualTo(OutputFormat.VHDX);
    assertThat(config.pxe().bootstrapBaseUrl()).isEqualTo("http://192.0.2.10/liveos");
    Os os = config.os();
    assertThat(os.packages().updateExistingPackages()).isFalse();
    assertThat(os.packages().installLists()).containsExactly("extra-packages.yaml");
    assertThat(os.modules().get(0).options()).containsEntry("debug", "0");
    assertThat(os.modules().get(1).loadMode()).isEqualTo(Module.LoadMode.DISABLE);
    assertThat(os.users().get(0).passwordExpiresDays()).isEqualTo(90L);
    assertThat(os.bootloader().resetType()).isEqualTo(Os.ResetType.HARD_RESET);
    assertThat(config.storage().resetPartitionsUuidsType())
        .isEqualTo(Storage.ResetPartitionsUuids.RESET_ALL);
    Script finalize = config.scripts().finalizeCustomization().get(0);
    assertThat(finalize.arguments()).containsExactly("one", "two");
    assertThat(finalize.environmentVariables()).containsEntry("GREETING", "hi");
    assertThat(loaded.resolve("scripts/post.sh"))
        .isEqualTo(VALID.toAbsolutePath().normalize().resolve("scripts/post.sh"));
  }

  @Test
  void readsYamlOneOneBooleansLikeUpstream() {
    Config config =
        ConfigLoader.parse("os:\n  packages:\n    updateExistingPackages: yes\n", HERE).config();

    assertThat(config.os().packages().updateExistingPackages()).isTrue();
  }

  @Test
  void keepsYesAsTextInStringFields() {
    Config config = ConfigLoader.parse("os:\n  hostname: yes\n", HERE).config();

    assertThat(config.os().hostname()).isEqualTo("yes");
  }

  @Test
  void emptyOsSectionMeansNoOsChanges() {
    Config config = ConfigLoader.parse("os:\n", HERE).config();

    assertThat(config.os()).isNull();
    assertThat(config.storage().isEmpty()).isTrue();
    assertThat(config.scripts().isEmpty()).isTrue();
  }

  @Test
  void readsJsonToo() {
    Config config = ConfigLoader.parse("{\"os\": {\"hostname\": \"json-box\"}}", HERE).config();

    assertThat(config.os().hostname()).isEqualTo("json-box");
  }

  @Test
  void reportsEveryStructuralProblemAtOnce() {
    LoadedConfig loaded =
        ConfigLoader.parse(
            "os:\n  hostnam: a\n  users:\n  - name: x\n    uid: many\niso:\n  initramfsType: x\n",
            HERE);

    assertThat(loaded.problems())
        .extracting(Problem::path, Problem::position)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("os.hostnam", new Position(2, 3)),
            org.assertj.core.groups.Tuple.tuple("os.users[0].uid", new Position(5, 10)),
            org.assertj.core.groups.Tuple.tuple("iso.initramfsType", new Position(7, 18)));
  }

  @Test
  void missingFileIsAConfigProblemNotAStackTrace() {
    assertThatThrownBy(() -> ConfigLoader.load(Path.of("/nonexistent/config.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/nonexistent/config.yaml: file not found")
        .hasMessageContaining("--config-file");
  }

  @Test
  void readsPackageListFiles() {
    PackageList list = ConfigLoader.loadPackageList(VALID.resolve("extra-packages.yaml"));

    assertThat(list.packages()).containsExactly("htop", "tree");
  }
}
