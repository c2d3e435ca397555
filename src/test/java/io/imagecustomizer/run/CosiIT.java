package io.imagecustomizer.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.imagecustomizer.image.loop.LoopDevice;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A COSI file from the test image, read as a provisioning agent reads it: unpacked, its metadata
 * checked against the specification, every image's hash and filesystem checked, then the partitions
 * written onto a new GPT disk of the metadata's layout, ext filesystems grown back, and that disk
 * booted.
 */
class CosiIT {
  private static final Path CONFIGS = Path.of("src/test/resources/it/cosi");
  private static final long MIB = 1024 * 1024;
  private static final long ROOM = 512 * MIB;
  private final ProcessRunner runner = new SystemProcessRunner();

  @BeforeAll
  static void needsRootAndLoopDevices() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
  }

  @Test
  void aCosiWrittenBackOntoADiskBoots(@TempDir Path dir) throws Exception {
    Path output = dir.resolve("out/image.cosi");
    CliRun run =
        CliRun.customize(
            dir.resolve("build"),
            TestImages.base("qcow2"),
            CONFIGS.resolve("cosi.yaml"),
            "cosi",
            output);
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(Publish.checksumFile(output)).exists();
    assertThat(dir.resolve("build")).isDirectoryNotContaining("glob:**/cosi-images*");

    Path unpacked = dir.resolve("unpacked");
    List<String> names = unpack(output, unpacked);
    assertThat(names.get(0)).as("the first entry").isEqualTo("metadata.json");
    JsonMapper json = JsonMapper.builder().build();
    JsonNode metadata = json.readTree(Files.readString(unpacked.resolve("metadata.json")));
    Schema schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(
                json.readTree(Files.readString(CONFIGS.resolve("cosi-metadata.schema.json"))));
    assertThat(schema.validate(metadata)).as("schema errors").isEmpty();
    assertThat(metadata.get("osRelease").asString()).contains("ID=debian");
    assertThat(metadata.get("bootloader").get("type").asString()).isEqualTo("grub");
    assertThat(metadata.get("osPackages").findValuesAsString("name")).contains("systemd");

    List<JsonNode> images = new ArrayList<>();
    metadata.get("images").forEach(images::add);
    assertThat(images).extracting(i -> i.get("mountPoint").asString()).contains("/", "/boot/efi");
    List<Path> raws = new ArrayList<>();
    for (JsonNode image : images) {
      JsonNode file = image.get("image");
      Path compressed = unpacked.resolve(file.get("path").asString());
      assertThat(names).contains(file.get("path").asString());
      assertThat(Files.size(compressed)).isEqualTo(file.get("compressedSize").asLong());
      assertThat(sha384(compressed)).isEqualTo(file.get("sha384").asString());
      Path raw = dir.resolve(compressed.getFileName() + ".raw");
      run("zstd", "-d", "-q", "--long=27", compressed.toString(), "-o", raw.toString());
      assertThat(Files.size(raw)).isEqualTo(file.get("uncompressedSize").asLong());
      String type = image.get("fsType").asString();
      if (type.startsWith("ext")) {
        run("e2fsck", "-fn", raw.toString());
      } else {
        assertThat(type).isEqualTo("vfat");
        run("fsck.vfat", "-n", raw.toString());
      }
      raws.add(raw);
    }

    Path disk = dir.resolve("provisioned.raw");
    writeBack(disk, images, raws);
    BootResult boot =
        BootHarness.boot("cosi", new BootHarness.Disk(disk, "raw"), Duration.ofMinutes(8));
    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.hostname()).isEqualTo("cosi-box");
    System.out.println("[cosi] " + boot.markerLine());
  }

  /**
   * As a provisioning agent: a GPT with one partition per image (its type from the metadata, room
   * to grow for ext), each image copied in, ext filesystems grown to their partitions.
   */
  private void writeBack(Path disk, List<JsonNode> images, List<Path> raws) throws IOException {
    StringBuilder table = new StringBuilder("label: gpt\n");
    long start = MIB;
    List<long[]> spans = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      long size = (Files.size(raws.get(i)) + MIB - 1) / MIB * MIB;
      if (images.get(i).get("fsType").asString().startsWith("ext")) {
        size += ROOM;
      }
      table.append(
          String.format(
              "start=%d, size=%d, type=%s%n",
              start / 512, size / 512, images.get(i).get("partType").asString()));
      spans.add(new long[] {start, size});
      start += size;
    }
    try (var file = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
      file.setLength(start + MIB);
    }
    runner.run(
        Command.of("sfdisk", "--quiet", disk.toString())
            .withStdin(table.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    for (int i = 0; i < raws.size(); i++) {
      long[] span = spans.get(i);
      run(
          "dd",
          "if=" + raws.get(i),
          "of=" + disk,
          "bs=1M",
          "seek=" + span[0] / MIB,
          "conv=notrunc,sparse",
          "status=none");
      if (images.get(i).get("fsType").asString().startsWith("ext")) {
        try (LoopDevice loop = LoopDevice.attach(runner, disk, span[0], span[1], false)) {
          run("e2fsck", "-fy", loop.device());
          run("resize2fs", loop.device());
        }
      }
    }
  }

  private void run(String... argv) {
    runner.run(Command.of(argv));
  }

  private static List<String> unpack(Path tar, Path to) throws IOException {
    List<String> names = new ArrayList<>();
    try (InputStream file = Files.newInputStream(tar);
        TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      for (TarArchiveEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        names.add(entry.getName());
        Path target = to.resolve(entry.getName());
        Files.createDirectories(target.getParent());
        Files.copy(in, target);
      }
    }
    return names;
  }

  private static String sha384(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-384");
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
