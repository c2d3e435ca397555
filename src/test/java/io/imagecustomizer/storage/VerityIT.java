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
 * Verity images made from the test image, two of them booted. A root-verity layout (ESP, /boot,
 * root, root hash, /var) with /etc an initramfs overlay whose writable layer is on /var is made,
 * refused as input without {@code storage.reinitializeVerity}, then customized again with it (a
 * file added): in the guest / is the dm-verity device, read-only and verified, the kernel command
 * line carries its new root hash, the added file is there, and a file written to /etc lands in the
 * overlay's upper folder; a copy with flipped bytes in one file's data block panics the kernel when
 * that file is read, as {@code corruptionOption: panic} asks. A usr layout made without verity is
 * given it on its partitions found by label: /usr verified and read-only under a writable root.
 */
class VerityIT {
  private static final Path CONFIGS = Path.of("src/test/resources/it/verity");
  private static final Pattern ROOT_HASH = Pattern.compile("\\broothash=([0-9a-f]{64})\\b");
  private static final String CANARY = "/usr/local/share/verity-canary";

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  /**
   * Customizes {@code input} with {@code config} to out/NAME.FORMAT; nothing may be left behind.
   */
  private static Path customize(Path dir, Path input, String config, String name, String format) {
    Path output = dir.resolve("out/" + name + "." + format);
    CliRun run =
        CliRun.customize(dir.resolve("build"), input, CONFIGS.resolve(config), format, output);

    assertThat(run.code()).as(run.err()).isZero();
    assertThat(MountTable.mountPointsUnder(dir)).as("mounts left behind").isEmpty();
    assertThat(LoopDevice.backedBy(new SystemProcessRunner(), dir)).as("loop devices").isEmpty();
    System.out.println("[" + name + "] customize took " + run.elapsed().toSeconds() + " s");
    return output;
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
  void aVerityRootWithAnEtcOverlayIsCustomizedAgainAndBootsVerified(@TempDir Path dir)
      throws IOException {
    Path first = customize(dir, TestImages.base("qcow2"), "root.yaml", "verity-root", "raw");
    String firstHash = rootHashInGrubCfg(first);

    // Without reinitializeVerity its trees would go stale: refused before any work.
    CliRun again =
        CliRun.customize(
            dir.resolve("build"),
            first,
            CONFIGS.resolve("hostname.yaml"),
            "qcow2",
            dir.resolve("out/again.qcow2"));
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("dm-verity hash trees (partition 4)", "reinitializeVerity");
    assertThat(dir.resolve("out/again.qcow2")).doesNotExist();

    Path output = customize(dir, first, "reinit.yaml", "verity-reinit", "qcow2");
    BootResult boot = boot(output, "verity-reinit");
    Map<String, String> seen = records(boot.check("70-verity").orElseThrow());

    assertThat(boot.root()).isEqualTo("/dev/mapper/root,ext4");
    assertThat(seen.get("root.source")).isEqualTo("/dev/mapper/root");
    assertThat(seen.get("root.options")).startsWith("ro,");
    assertThat(seen.get("root.status.status")).isEqualTo("verified");
    assertThat(seen.get("root.status.mode")).isEqualTo("readonly");
    assertThat(seen.get("root.write")).isEqualTo("refused");
    assertThat(seen.get("write/var/tmp")).isEqualTo("allowed");
    assertThat(seen.get("canary")).hasSize(16);
    assertThat(seen.get("reinit-canary")).isEqualTo("present");
    // /etc takes writes over the read-only root, and they land in the overlay's upper folder.
    assertThat(seen.get("etc.type")).isEqualTo("overlay");
    assertThat(seen.get("write/etc")).isEqualTo("allowed");
    assertThat(seen.get("etc.upper")).isEqualTo("yes");
    Matcher hash = ROOT_HASH.matcher(boot.cmdline());
    assertThat(hash.find()).as(boot.cmdline()).isTrue();
    assertThat(hash.group(1)).as("the rebuilt root hash").isNotEqualTo(firstHash);
    // The kernel's table holds the root hash the command line gave, and panics on corruption.
    assertThat(seen.get("root.table")).contains(hash.group(1), "panic_on_corruption");

    Path raw = dir.resolve("tampered.raw");
    new SystemProcessRunner()
        .run(Command.of("qemu-img", "convert", "-O", "raw", output.toString(), raw.toString()));
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
  void aUsrLayoutGetsVerityOnItsPartitionsAndBootsVerifiedUnderAWritableRoot(@TempDir Path dir) {
    Path prepared =
        customize(dir, TestImages.base("qcow2"), "prepare.yaml", "verity-prepared", "qcow2");
    BootResult boot =
        boot(
            customize(dir, prepared, "existing.yaml", "verity-existing", "qcow2"),
            "verity-existing");
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
    assertThat(seen.get("usr.table")).contains(hash.group(1), "panic_on_corruption");
    assertThat(boot.cmdline())
        .containsPattern("systemd\\.verity_usr_data=UUID=[0-9a-f-]{36}\\b")
        .containsPattern("systemd\\.verity_usr_hash=UUID=[0-9a-f-]{36}\\b")
        .contains("systemd.verity_usr_options=panic-on-corruption")
        .doesNotContain("roothash=");
  }

  /**
   * The root hash on the kernel line of the grub.cfg on the image's partition labelled boot, read
   * with debugfs from wherever the image keeps it (grub2/ on Azure Linux's layout, grub/ on
   * Debian's).
   */
  private static String rootHashInGrubCfg(Path raw) throws IOException {
    SystemProcessRunner runner = new SystemProcessRunner();
    Partition boot =
        GptReader.read(raw).stream().filter(p -> p.name().equals("boot")).findFirst().orElseThrow();
    StringBuilder seen = new StringBuilder();
    try (LoopDevice loop = LoopDevice.attach(runner, raw, boot.offset(), boot.size(), true)) {
      for (String path : List.of("/grub2/grub.cfg", "/grub/grub.cfg")) {
        String grub =
            runner
                .runAllowingFailure(Command.of("debugfs", "-R", "cat " + path, loop.device()))
                .stdout();
        Matcher hash = ROOT_HASH.matcher(grub);
        if (hash.find()) {
          return hash.group(1);
        }
        seen.append(path).append(": ").append(grub.length()).append(" characters; ");
      }
    }
    throw new AssertionError("no roothash= in the boot partition's grub.cfg: " + seen);
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
