package io.imagecustomizer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.AttachedPartition;
import io.imagecustomizer.image.OsImage;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storage section on the test image, booted: a new layout (ESP, /boot ext4, / xfs by UUID, /var
 * ext4 by partition label, growing) seen from inside the guest; a btrfs root with subvolumes and a
 * quota; reset-all giving every partition and filesystem a new UUID; a layout too small for the OS
 * refused before any output.
 */
class StorageIT {
  private static final Path CONFIGS = Path.of("src/test/resources/it/storage");
  private static final long MIB = 1024 * 1024;

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  /** What the guest's 60-layout check printed: partitions by name, mounts, fstab lines. */
  record Layout(
      Map<String, Map<String, String>> partitions, List<String> mounts, List<String> fstab) {
    static Layout of(String check) {
      Map<String, Map<String, String>> partitions = new HashMap<>();
      List<String> mounts = new ArrayList<>();
      List<String> fstab = new ArrayList<>();
      for (String word : check.split(" ")) {
        if (word.startsWith("part=")) {
          Map<String, String> fields = new HashMap<>();
          for (String pair : word.substring(5).split(",")) {
            int eq = pair.indexOf('=');
            fields.put(pair.substring(0, eq), pair.substring(eq + 1));
          }
          partitions.put(fields.get("NAME"), fields);
        } else if (word.startsWith("mount=")) {
          mounts.add(word.substring(6));
        } else if (word.startsWith("fstab=")) {
          fstab.add(word.substring(6));
        }
      }
      return new Layout(partitions, mounts, fstab);
    }

    String field(String partition, String name) {
      return partitions.get(partition).get(name);
    }
  }

  private static CliRun customize(Path dir, Path input, String config, Path output) {
    return CliRun.customize(dir.resolve("build"), input, CONFIGS.resolve(config), "qcow2", output);
  }

  private static void nothingLeftBehind(Path dir) {
    assertThat(MountTable.mountPointsUnder(dir)).as("mounts left behind").isEmpty();
    // A device detached while another run's chroot namespace still held a copy of our mount is
    // freed by the kernel later; backedBy lists only devices still attached.
    assertThat(LoopDevice.backedBy(new SystemProcessRunner(), dir))
        .as("loop devices left")
        .isEmpty();
    assertThat(dir.resolve("build/image.raw")).doesNotExist();
    assertThat(dir.resolve("build/repartitioned.raw")).doesNotExist();
  }

  private static Layout boot(String name, Path output) {
    BootResult boot =
        BootHarness.boot(name, new BootHarness.Disk(output, "qcow2"), Duration.ofMinutes(6));
    assertThat(boot.booted()).as(boot.toString()).isTrue();
    String check = boot.check("60-layout").orElseThrow();
    System.out.println("[" + name + "] " + boot.markerLine());
    System.out.println("[" + name + "] 60-layout: " + check);
    return Layout.of(check);
  }

  @Test
  void newLayoutBootsAsConfigured(@TempDir Path dir) throws InterruptedException {
    Path input = TestImages.base("qcow2");
    String inputHash = TestImages.sha256(input);
    Path output = dir.resolve("out/layout.qcow2");

    CliRun run = customize(dir, input, "layout.yaml", output);

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(TestImages.sha256(input)).as("the input image is unchanged").isEqualTo(inputHash);
    nothingLeftBehind(dir);
    Layout layout = boot("storage-layout", output);

    // Sizes: the config's, within 1 MiB; /var grows to maxSize less the GPT backup's 1 MiB.
    long[] sizes = {64, 300, 1600, 3072 - 1 - 64 - 300 - 1600 - 1};
    String[] types = {"vfat", "ext4", "xfs", "ext4"};
    String[] labels = {"esp", "boot", "rootfs", "var"};
    for (int i = 0; i < 4; i++) {
      String name = "vda" + (i + 1);
      assertThat(layout.partitions()).containsKey(name);
      assertThat(Long.parseLong(layout.field(name, "SIZE")))
          .as(name + " size")
          .isBetween(sizes[i] * MIB - MIB, sizes[i] * MIB + MIB);
      assertThat(layout.field(name, "FSTYPE")).as(name + " type").isEqualTo(types[i]);
      assertThat(layout.field(name, "PARTLABEL")).as(name + " label").isEqualTo(labels[i]);
    }
    assertThat(layout.partitions()).hasSize(4);
    assertThat(layout.mounts())
        .containsExactlyInAnyOrder(
            "/,/dev/vda3,xfs",
            "/boot,/dev/vda2,ext4",
            "/boot/efi,/dev/vda1,vfat",
            "/var,/dev/vda4,ext4");
    // / by filesystem UUID, /var by partition label, the others by partition UUID (the default).
    assertThat(layout.fstab())
        .containsExactly(
            "UUID=" + layout.field("vda3", "UUID") + ",/,xfs,defaults,0,1",
            "PARTUUID=" + layout.field("vda2", "PARTUUID") + ",/boot,ext4,defaults,0,2",
            "PARTLABEL=var,/var,ext4,defaults,0,2",
            "PARTUUID=" + layout.field("vda1", "PARTUUID") + ",/boot/efi,vfat,umask=0077,0,2");
  }

  @Test
  void resetAllGivesEveryPartitionAndFilesystemNewUuids(@TempDir Path dir)
      throws InterruptedException {
    Path input = TestImages.base("qcow2");
    Set<String> before = uuids(TestImages.base("raw"), dir.resolve("inspect"));
    Path output = dir.resolve("out/reset.qcow2");

    CliRun run = customize(dir, input, "reset-uuids.yaml", output);

    assertThat(run.code()).as(run.err()).isZero();
    nothingLeftBehind(dir);
    Layout layout = boot("storage-reset-all", output);
    Set<String> after = new java.util.HashSet<>();
    for (Map<String, String> partition : layout.partitions().values()) {
      after.add(partition.get("UUID").toLowerCase(java.util.Locale.ROOT));
      after.add(partition.get("PARTUUID").toLowerCase(java.util.Locale.ROOT));
    }
    assertThat(after).hasSize(4).doesNotContainAnyElementsOf(before);
    assertThat(before).hasSize(4);
    assertThat(layout.fstab())
        .containsExactly(
            "UUID=" + layout.field("vda2", "UUID") + ",/,ext4,defaults,0,1",
            "UUID=" + layout.field("vda1", "UUID") + ",/boot/efi,vfat,umask=0077,0,2");
    assertThat(layout.mounts()).contains("/,/dev/vda2,ext4");
  }

  @Test
  void btrfsRootWithSubvolumesAndAQuotaBoots(@TempDir Path dir) throws InterruptedException {
    Path output = dir.resolve("out/btrfs.qcow2");

    CliRun run = customize(dir, TestImages.base("qcow2"), "btrfs.yaml", output);

    assertThat(run.code()).as(run.err()).isZero();
    nothingLeftBehind(dir);
    BootResult boot =
        BootHarness.boot(
            "storage-btrfs", new BootHarness.Disk(output, "qcow2"), Duration.ofMinutes(6));
    assertThat(boot.booted()).as(boot.toString()).isTrue();
    String btrfs = boot.check("70-btrfs").orElseThrow();
    System.out.println("[storage-btrfs] " + boot.markerLine());
    System.out.println("[storage-btrfs] 70-btrfs: " + btrfs);
    Layout layout = Layout.of(boot.check("60-layout").orElseThrow());
    List<String> words = List.of(btrfs.split(" "));

    // The kernel was told its root subvolume, and / and /home are the two subvolumes.
    assertThat(boot.markerLine()).contains("rootflags=subvol=root", "root=/dev/vda2[/root],btrfs");
    assertThat(words)
        .anySatisfy(
            w -> assertThat(w).startsWith("subvolmount=/;btrfs;/root;").contains("subvol=/root"))
        .anySatisfy(
            w ->
                assertThat(w)
                    .startsWith("subvolmount=/home;btrfs;/home;")
                    .contains("subvol=/home"));
    assertThat(btrfs).contains("compress=zstd:1");
    // home's qgroup carries the 256 MiB referenced limit, and writing past it is refused.
    assertThat(words)
        .anySatisfy(w -> assertThat(w).startsWith("qgroup=0/").endsWith(",268435456,none,home"));
    assertThat(words).contains("quota=enforced");
    assertThat(words).contains("cmdline-rootflags=1", "default-grub-rootflags=0");
    assertThat(layout.field("vda2", "FSTYPE")).isEqualTo("btrfs");
    assertThat(layout.fstab())
        .containsExactly(
            "UUID=" + layout.field("vda2", "UUID") + ",/,btrfs,subvol=/root,compress=zstd:1,0,1",
            "PARTLABEL=system,/home,btrfs,subvol=/home,0,2",
            "PARTUUID=" + layout.field("vda1", "PARTUUID") + ",/boot/efi,vfat,umask=0077,0,2");
  }

  /** Every filesystem and partition UUID of a raw image, lower case. */
  private static Set<String> uuids(Path raw, Path mount) {
    try (OsImage image = OsImage.open(new SystemProcessRunner(), raw, mount, true)) {
      return image.partitions().stream()
          .flatMap(
              (AttachedPartition p) ->
                  Arrays.stream(new String[] {p.fsUuid(), p.partition().uuid()}))
          .map(u -> u.toLowerCase(java.util.Locale.ROOT))
          .collect(Collectors.toSet());
    }
  }

  @Test
  void aLayoutTooSmallForTheOsFailsBeforeAnyOutput(@TempDir Path dir) throws InterruptedException {
    Path output = dir.resolve("out/small.qcow2");

    CliRun run = customize(dir, TestImages.base("qcow2"), "too-small.yaml", output);

    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "files for / need",
            "partition 'rootfs' (300 MiB, ext4)",
            "make partition 'rootfs' at least");
    assertThat(output).doesNotExist();
    assertThat(dir.resolve("out"))
        .satisfiesAnyOf(
            out -> assertThat(out).doesNotExist(), out -> assertThat(out).isEmptyDirectory());
    nothingLeftBehind(dir);
  }
}
