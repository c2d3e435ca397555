package io.imagecustomizer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.config.Config;
import io.imagecustomizer.config.ConfigChain;
import io.imagecustomizer.config.ConfigException;
import io.imagecustomizer.config.yaml.Problem;
import io.imagecustomizer.customize.steps.StandardSteps;
import io.imagecustomizer.run.plan.Workflows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No silent ignores: every field of the config records is applied by a stage of some run kind, read
 * before the run, or refused by {@code customize}; never none of these, never two.
 */
class ConfigUseTest {
  @TempDir Path dir;

  /** Who claims each path: the stages by name, the pre-run readers, the refusal list. */
  private static Map<String, List<String>> claims() {
    Map<String, List<String>> claims = new HashMap<>();
    for (Workflow workflow : Workflows.all(StandardSteps.pipeline())) {
      for (RunStage stage : workflow.stages()) {
        for (String path : stage.applies()) {
          List<String> by = claims.computeIfAbsent(path, k -> new ArrayList<>());
          if (!by.contains("stage " + stage.name())) {
            by.add("stage " + stage.name());
          }
        }
      }
    }
    ConfigUse.READ_BEFORE_RUN.forEach(
        p -> claims.computeIfAbsent(p, k -> new ArrayList<>()).add("read before the run"));
    ConfigUse.REFUSED
        .keySet()
        .forEach(p -> claims.computeIfAbsent(p, k -> new ArrayList<>()).add("refused"));
    return claims;
  }

  @Test
  void everyFieldIsAppliedReadOrRefused() {
    List<String> fields = ConfigFields.all(Config.class);
    assertThat(fields).contains("storage.disks[].partitions[].id", "os.users[].name", "iso");
    Map<String, List<String>> claims = claims();
    List<String> unclaimed = new ArrayList<>();
    List<String> twice = new ArrayList<>();
    // A section is checked through its fields: only leaves must be claimed, by themselves or by
    // a section above them.
    List<String> leaves =
        fields.stream()
            .filter(f -> fields.stream().noneMatch(g -> covers(f, g) && !g.equals(f)))
            .toList();
    for (String field : leaves) {
      List<String> kinds = new ArrayList<>();
      claims.forEach(
          (claim, by) -> {
            if (covers(claim, field)) {
              by.forEach(
                  b -> {
                    String kind = b.startsWith("stage ") ? "applied" : b;
                    if (!kinds.contains(kind)) {
                      kinds.add(kind);
                    }
                  });
            }
          });
      if (kinds.isEmpty()) {
        unclaimed.add(field);
      } else if (kinds.size() > 1) {
        twice.add(field + " " + kinds);
      }
    }
    assertThat(unclaimed).as("fields nothing applies, reads or refuses").isEmpty();
    assertThat(twice).as("fields claimed in two ways").isEmpty();
  }

  @Test
  void everyClaimNamesAField() {
    List<String> fields = ConfigFields.all(Config.class);
    assertThat(claims().keySet()).allSatisfy(claim -> assertThat(fields).contains(claim));
  }

  @Test
  void refusesEachSetFieldAtItsKey() throws IOException {
    Path config =
        write(
            "refused.yaml",
            """
            os:
              hostname: fine
              selinux:
                mode: disabled
            output:
              selinuxPolicyPath: policy
            """);
    ConfigChain chain = ConfigChain.load(config);
    assertThatThrownBy(() -> ConfigUse.refuseUnapplied(chain))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              ConfigException failure = (ConfigException) e;
              assertThat(failure.exitCode()).isEqualTo(2);
              assertThat(failure.problems())
                  .extracting(Problem::path)
                  .containsExactly("output.selinuxPolicyPath");
              assertThat(failure.getMessage())
                  .contains(
                      "refused.yaml:6:3: output.selinuxPolicyPath: not supported yet",
                      "writing out the SELinux policy");
            });
  }

  @Test
  void acceptsTheStorageThisVersionApplies() throws IOException {
    Path config =
        write(
            "storage.yaml",
            """
            storage:
              bootType: efi
              disks:
              - maxSize: 4G
                partitions:
                - id: esp
                  type: esp
                  size: 64M
                - id: root
                  size: grow
              filesystems:
              - deviceId: esp
                type: fat32
                mountPoint: /boot/efi
              - deviceId: root
                type: xfs
                mountPoint:
                  path: /
                  idType: uuid
            os:
              bootloader:
                resetType: hard-reset
            """);
    assertThat(ConfigUse.unapplied(ConfigChain.load(config))).isEmpty();
  }

  @Test
  void acceptsABiosBootLayout() throws IOException {
    Path config =
        write(
            "legacy.yaml",
            """
            storage:
              bootType: legacy
              disks:
              - maxSize: 4G
                partitions:
                - id: biosgrub
                  type: bios-grub
                  start: 1M
                  size: 8M
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
    assertThat(ConfigUse.unapplied(ConfigChain.load(config))).isEmpty();
  }

  @Test
  void acceptsBtrfsWithSubvolumesAndQuotas() throws IOException {
    Path config =
        write(
            "btrfs.yaml",
            """
            previewFeatures: [btrfs]
            storage:
              bootType: efi
              disks:
              - maxSize: 4G
                partitions:
                - id: esp
                  type: esp
                  size: 64M
                - id: system
                  size: grow
              filesystems:
              - deviceId: esp
                type: fat32
                mountPoint: /boot/efi
              - deviceId: system
                type: btrfs
                btrfs:
                  subvolumes:
                  - path: root
                    mountPoint: /
                  - path: home
                    mountPoint: /home
                    quota:
                      referencedLimit: 1G
            os:
              bootloader:
                resetType: hard-reset
            """);
    assertThat(ConfigUse.unapplied(ConfigChain.load(config))).isEmpty();
  }

  private static final String VERITY_LAYOUT =
      """
      storage:
        bootType: efi
        disks:
        - maxSize: 4G
          partitions:
          - id: esp
            type: esp
            size: 64M
          - id: boot
            size: 300M
          - id: data
            size: 2G
          - id: hash
            size: 64M
        verity:
        - id: verity
          name: %s
          dataDeviceId: data
          hashDeviceId: %s
          dataDeviceMountIdType: part-uuid
          hashDeviceMountIdType: uuid
          corruptionOption: panic
        filesystems:
        - deviceId: esp
          type: fat32
          mountPoint: /boot/efi
        - deviceId: boot
          type: ext4
          mountPoint: /boot
        - deviceId: verity
          type: ext4
          mountPoint:
            path: %s
            options: ro
      os:
        bootloader:
          resetType: hard-reset
      """;

  @Test
  void acceptsARootVerityOnNewPartitions() throws IOException {
    Path config = write("verity.yaml", VERITY_LAYOUT.formatted("root", "hash", "/"));
    assertThat(ConfigUse.unapplied(ConfigChain.load(config))).isEmpty();
  }

  @Test
  void acceptsAUsrVerityAndInlineVerity() throws IOException {
    Path usr = write("usr.yaml", VERITY_LAYOUT.formatted("usr", "hash", "/usr"));
    Path inline = write("inline.yaml", VERITY_LAYOUT.formatted("root", "data", "/"));

    assertThat(ConfigUse.unapplied(ConfigChain.load(usr))).isEmpty();
    assertThat(ConfigUse.unapplied(ConfigChain.load(inline))).isEmpty();
  }

  @Test
  void acceptsVerityOnExistingPartitions() throws IOException {
    Path config =
        write(
            "existing.yaml",
            """
            storage:
              verity:
              - id: verity
                name: usr
                dataDevice:
                  idType: part-label
                  id: usr
                hashDevice:
                  idType: part-label
                  id: usrhash
            """);
    assertThat(ConfigUse.unapplied(ConfigChain.load(config))).isEmpty();
  }

  @Test
  void refusesSelinuxArgumentsInUkiAddons() throws IOException {
    Path selinux =
        write(
            "uki-selinux.yaml",
            """
            previewFeatures: [uki]
            os:
              selinux:
                mode: permissive
              uki:
                mode: modify
            """);

    assertThat(ConfigUse.unapplied(ConfigChain.load(selinux)).get(selinux))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("os.selinux.mode");
              assertThat(p.message()).contains("SELinux kernel arguments in UKI addons");
            });
  }

  @Test
  void refusesAShimArtifactWhenUkisReplaceShim() throws IOException {
    Path config =
        write(
            "uki-shim.yaml",
            """
            previewFeatures: [uki, output-artifacts]
            os:
              uki:
                mode: create
            output:
              artifacts:
                path: out
                items: [ukis, shim, bootloader]
            """);

    assertThat(ConfigUse.unapplied(ConfigChain.load(config)).get(config))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("output.artifacts.items[1]");
              assertThat(p.message()).contains("a shim artifact with os.uki.mode create");
            });
  }

  @Test
  void acceptsEveryArtifactItem() throws IOException {
    Path config =
        write(
            "artifacts.yaml",
            """
            output:
              artifacts:
                path: out
                items: [shim, ukis, bootloader, verity-hash]
            previewFeatures: [output-artifacts]
            """);
    assertThat(ConfigUse.unapplied(ConfigChain.load(config))).isEmpty();
  }

  @Test
  void findsSetFieldsInsideLists() throws IOException {
    Path config =
        write(
            "overlays.yaml",
            """
            os:
              overlays:
              - lowerDirs: [/etc]
                upperDir: /var/overlays/etc/upper
                workDir: /var/overlays/etc/work
                mountPoint: /etc
            """);
    Config loaded = ConfigChain.load(config).main().config();
    assertThat(ConfigFields.setPaths(loaded, "os.overlays")).containsExactly("os.overlays");
    assertThat(ConfigFields.setPaths(loaded, "os.overlays[].upperDir"))
        .containsExactly("os.overlays[0].upperDir");
    assertThat(ConfigFields.setPaths(loaded, "os.overlays[].isInitrdOverlay")).isEmpty();
  }

  @Test
  void acceptsWhatIsApplied() throws IOException {
    Path config = write("fine.yaml", "os:\n  hostname: fine\niso:\n  initramfsType: full-os\n");
    assertThat(ConfigUse.unapplied(ConfigChain.load(config))).isEmpty();
  }

  private static boolean covers(String claim, String field) {
    return field.equals(claim) || field.startsWith(claim + ".") || field.startsWith(claim + "[]");
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }
}
