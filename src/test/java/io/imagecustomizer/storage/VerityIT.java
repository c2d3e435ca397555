package io.imagecustomizer.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.image.partition.GptReader;
import io.imagecustomizer.image.partition.Partition;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.resource.MountTable;
import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verity images made from the test image, booted. A root-verity layout (ESP, /boot, root, root
 * hash, /var): / is the dm-verity device, read-only and verified, the kernel command line carries
 * its root hash; a copy with flipped bytes in one file's data block panics the kernel when that
 * file is read, as {@code corruptionOption: panic} asks, and customizing it again is refused. A
 * usr-verity layout (ESP, /usr, usr hash, a writable root holding /boot): /usr verified and
 * read-only, / writable. The same layout made without verity first, then given it on its partitions
 * found by label: /usr verified.
 */
class VerityIT {
  private static final Path CONFIGS = Path.of("src/test/resources/it/verity");
  private static final Pattern ROOT_HASH = Pattern.compile("\\broothash=([0-9a-f]{64})\\b");
  private static final String CANARY = "/usr/local/share/verity-canary";

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  /** Customizes {@code input} with {@code config} to out/NAME.qcow2; nothing may be left behind. */
  private static Path customize(Path dir, Path input, String config, String name) {
    Path output = dir.resolve("out/" + name + ".qcow2");
    CliRun run =
        CliRun.customize(dir.resolve("build"), input, CONFIGS.resolve(config), "qcow2", output);

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(MountTable.mountPointsUnder(dir)).as("mounts left behind").isEmpty();
    assertThat(LoopDevice.backedBy(new SystemProcessRunner(), dir)).as("loop devices").isEmpty();
    System.out.println("[" + name + "] customize took " + run.elapsed().toSeconds() + " s");
    return output;
  }

  /** Customizes the test image with {@code config} and boots the result. */
  private static BootResult customizeAndBoot(Path dir, String config, String name) {
    return boot(customize(dir, TestImages.base("qcow2"), config, name), name);
  }

  private static BootResult boot(Path output, String name) {
    BootResult boot =
        BootHarness.boot(name, new BootHarness.Disk(output, "qcow2"), Duration.ofMinutes(6));
    assertThat(boot.booted()).as(boot.toString()).isTrue();
    System.out.println("[" + name + "] " + boot.markerLine());
    System.out.println("[" + name + "] 70-verity: " + boot.check("70-verity").orElseThrow());
    return boot;
  }

  @Test
  void aVerityRootBootsVerifiedAndPanicsOnATamperedBlock(@TempDir Path dir) throws IOException {
    BootResult boot = customizeAndBoot(dir, "root.yaml", "verity-root");
    Map<String, String> seen = records(boot.check("70-verity").orElseThrow());

    assertThat(boot.root()).isEqualTo("/dev/mapper/root,ext4");
    assertThat(seen.get("root.source")).isEqualTo("/dev/mapper/root");
    assertThat(seen.get("root.options")).startsWith("ro,");
    assertThat(seen.get("root.status.status")).isEqualTo("verified");
    assertThat(seen.get("root.status.mode")).isEqualTo("readonly");
    assertThat(seen.get("root.write")).isEqualTo("refused");
    assertThat(seen.get("write/var/tmp")).isEqualTo("allowed");
    assertThat(seen.get("canary")).hasSize(16);
    Matcher hash = ROOT_HASH.matcher(boot.cmdline());
    assertThat(hash.find()).as(boot.cmdline()).isTrue();
    // The kernel's table holds the root hash the command line gave, and panics on corruption.
    assertThat(seen.get("root.table")).contains(hash.group(1), "panic_on_corruption");

    // A verity image as input: its trees would go stale, so it is refused before any work.
    CliRun again =
        CliRun.customize(
            dir.resolve("build"),
            dir.resolve("out/verity-root.qcow2"),
            CONFIGS.resolve("hostname.yaml"),
            "qcow2",
            dir.resolve("out/again.qcow2"));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("dm-verity hash trees (partition 4)", "reinitializeVerity");
    assertThat(dir.resolve("out/again.qcow2")).doesNotExist();

    Path raw = dir.resolve("tampered.raw");
    new SystemProcessRunner()
        .run(
            Command.of(
                "qemu-img",
                "convert",
                "-O",
                "raw",
                dir.resolve("out/verity-root.qcow2").toString(),
                raw.toString()));
    List<Partition> partitions = GptReader.read(raw);
    Partition root = partitions.get(2);
    assertThat(boot.cmdline())
        .contains(
            "root=/dev/mapper/root",
            "rd.systemd.verity=1",
            "systemd.verity_root_data=PARTUUID=" + root.uuid(),
            "systemd.verity_root_hash=PARTLABEL=roothash",
            "systemd.verity_root_options=panic-on-corruption");
    flipCanaryBlock(raw, root);

    BootResult tampered =
        BootHarness.boot(
            "verity-tampered", new BootHarness.Disk(raw, "raw"), Duration.ofMinutes(6));
    System.out.println("[verity-tampered] " + tampered);
    assertThat(tampered.booted()).isFalse();
    assertThat(tampered.failure()).contains("Kernel panic", "dm-verity");
  }

  @Test
  void aVerityUsrBootsVerifiedUnderAWritableRoot(@TempDir Path dir) {
    BootResult boot = customizeAndBoot(dir, "usr.yaml", "verity-usr");
    Map<String, String> seen = records(boot.check("70-verity").orElseThrow());

    assertThat(boot.root()).isEqualTo("/dev/vda4,ext4");
    assertThat(seen).doesNotContainKey("root.source");
    assertThat(seen.get("usr.source")).isEqualTo("/dev/mapper/usr");
    assertThat(seen.get("usr.options")).startsWith("ro,");
    assertThat(seen.get("usr.status.status")).isEqualTo("verified");
    assertThat(seen.get("usr.write")).isEqualTo("refused");
    assertThat(seen.get("write/etc")).isEqualTo("allowed");
    assertThat(seen.get("canary")).hasSize(16);
    Matcher hash = Pattern.compile("\\busrhash=([0-9a-f]{64})\\b").matcher(boot.cmdline());
    assertThat(hash.find()).as(boot.cmdline()).isTrue();
    assertThat(seen.get("usr.table")).contains(hash.group(1)).doesNotContain("on_corruption");
    assertThat(boot.cmdline())
        .contains("systemd.verity_usr_data=PARTLABEL=usr", "systemd.verity_usr_hash=PARTUUID=")
        .doesNotContain("roothash=", "systemd.verity_usr_options");
  }

  @Test
  void verityOnExistingPartitionsOfAPreparedImage(@TempDir Path dir) {
    Path prepared = customize(dir, TestImages.base("qcow2"), "prepare.yaml", "verity-prepared");
    BootResult boot =
        boot(customize(dir, prepared, "existing.yaml", "verity-existing"), "verity-existing");
    Map<String, String> seen = records(boot.check("70-verity").orElseThrow());

    assertThat(seen.get("usr.source")).isEqualTo("/dev/mapper/usr");
    assertThat(seen.get("usr.status.status")).isEqualTo("verified");
    assertThat(seen.get("usr.write")).isEqualTo("refused");
    assertThat(seen.get("write/etc")).isEqualTo("allowed");
    assertThat(seen.get("usr.table")).contains("panic_on_corruption");
    assertThat(boot.cmdline())
        .containsPattern("\\busrhash=[0-9a-f]{64}\\b")
        .containsPattern("systemd\\.verity_usr_data=UUID=[0-9a-f-]{36}\\b")
        .containsPattern("systemd\\.verity_usr_hash=UUID=[0-9a-f-]{36}\\b")
        .contains("systemd.verity_usr_options=panic-on-corruption");
  }

  /** The check's words as key=value (a word without '=' is skipped). */
  private static Map<String, String> records(String check) {
    return Arrays.stream(check.split(" "))
        .filter(w -> w.indexOf('=') > 0)
        .collect(
            Collectors.toMap(
                w -> w.substring(0, w.indexOf('=')),
                w -> w.substring(w.indexOf('=') + 1),
                (a, b) -> a));
  }

  /** Inverts the first bytes of the canary file's first data block on the root partition. */
  private static void flipCanaryBlock(Path raw, Partition root) throws IOException {
    SystemProcessRunner runner = new SystemProcessRunner();
    long block;
    long blockSize;
    try (LoopDevice loop = LoopDevice.attach(runner, raw, root.offset(), root.size(), true)) {
      String blocks =
          runner.run(Command.of("debugfs", "-R", "blocks " + CANARY, loop.device())).stdout();
      block = Long.parseLong(blocks.strip().split("\\s+")[0]);
      String stats = runner.run(Command.of("dumpe2fs", "-h", loop.device())).stdout();
      Matcher size = Pattern.compile("(?m)^Block size:\\s+(\\d+)").matcher(stats);
      assertThat(size.find()).isTrue();
      blockSize = Long.parseLong(size.group(1));
    }
    try (RandomAccessFile file = new RandomAccessFile(raw.toFile(), "rw")) {
      long at = root.offset() + block * blockSize;
      byte[] bytes = new byte[16];
      file.seek(at);
      file.readFully(bytes);
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) ~bytes[i];
      }
      file.seek(at);
      file.write(bytes);
    }
  }
}
