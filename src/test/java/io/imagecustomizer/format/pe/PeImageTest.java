package io.imagecustomizer.format.pe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.testing.PeStubs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeImageTest {
  @TempDir Path dir;

  @Test
  void addedSectionsAreAlignedAfterTheStubsAndReadBack() throws IOException {
    Path stub = PeStubs.stub(dir.resolve("stub"), 0x400);
    Path osrel = Files.writeString(dir.resolve("osrel"), "ID=debian\n");
    byte[] kernel = new byte[5000];
    for (int i = 0; i < kernel.length; i++) {
      kernel[i] = (byte) i;
    }
    Path linux = Files.write(dir.resolve("linux"), kernel);
    Path uki = dir.resolve("uki.efi");

    PeImage.withSections(
        stub,
        List.of(new PeImage.Addition(".osrel", osrel), new PeImage.Addition(".linux", linux)),
        uki);

    ByteBuffer image = ByteBuffer.wrap(Files.readAllBytes(uki)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(image.getShort(0x44 + 2)).isEqualTo((short) 3);
    // .text ends at 0x2000 in memory: .osrel at 0x2000, .linux at the next page
    assertThat(sectionHeader(image, 1)).containsExactly(10, 0x2000, 0x200, 0x600);
    assertThat(sectionHeader(image, 2)).containsExactly(5000, 0x3000, 0x1400, 0x800);
    assertThat(image.getInt(0x58 + 56)).as("SizeOfImage").isEqualTo(0x5000);
    assertThat(image.capacity()).isEqualTo(0x800 + 0x1400);
    assertThat(
            StandardCharsets.US_ASCII
                .decode(PeImage.section(uki, ".osrel").orElseThrow())
                .toString())
        .isEqualTo("ID=debian\n");
    Path copy = dir.resolve("copy");
    assertThat(PeImage.copySection(uki, ".linux", copy)).isTrue();
    assertThat(Files.readAllBytes(copy)).isEqualTo(kernel);
    assertThat(PeImage.copySection(uki, ".initrd", copy)).isFalse();
    assertThat(PeImage.section(uki, ".text")).isPresent();
  }

  @Test
  void theLastSectionIsReplacedInPlace() throws IOException {
    Path stub = PeStubs.stub(dir.resolve("stub"), 0x400);
    Path addon = dir.resolve("addon.efi");
    PeImage.withSections(
        stub,
        List.of(new PeImage.Addition(".cmdline", Files.writeString(dir.resolve("a"), "ro quiet"))),
        addon);
    Path longer = Files.writeString(dir.resolve("b"), "ro quiet " + "x".repeat(5000));
    Path rebuilt = dir.resolve("rebuilt.efi");

    PeImage.withLastSectionReplaced(addon, ".cmdline", longer, rebuilt);

    ByteBuffer image = ByteBuffer.wrap(Files.readAllBytes(rebuilt)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(image.getShort(0x44 + 2)).isEqualTo((short) 2);
    assertThat(sectionHeader(image, 1)).containsExactly(5009, 0x2000, 0x1400, 0x600);
    assertThat(image.getInt(0x58 + 56)).as("SizeOfImage").isEqualTo(0x4000);
    assertThat(
            StandardCharsets.US_ASCII
                .decode(PeImage.section(rebuilt, ".cmdline").orElseThrow())
                .toString())
        .isEqualTo(Files.readString(longer));
    assertThatThrownBy(() -> PeImage.withLastSectionReplaced(addon, ".osrel", longer, rebuilt))
        .hasMessageContaining("its last section is not .osrel");
  }

  @Test
  void aSectionTableRunningPastTheFirstReadIsReadOn() throws IOException {
    Path stub = PeStubs.stub(dir.resolve("stub"), 0x2000);
    List<PeImage.Addition> many = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      many.add(new PeImage.Addition(".s" + i, Files.writeString(dir.resolve("s" + i), "s" + i)));
    }
    Path out = dir.resolve("many.efi");

    PeImage.withSections(stub, many, out);

    assertThat(
            StandardCharsets.US_ASCII
                .decode(PeImage.section(out, ".s119").orElseThrow())
                .toString())
        .isEqualTo("s119");
    assertThat(PeImage.section(out, ".s120")).isEmpty();
  }

  @Test
  void aStubWithoutRoomForMoreSectionHeadersIsRefused() throws IOException {
    Path stub = PeStubs.stub(dir.resolve("stub"), 0x200);
    Path data = Files.writeString(dir.resolve("data"), "x");
    List<PeImage.Addition> many =
        List.of(
            new PeImage.Addition(".a", data),
            new PeImage.Addition(".b", data),
            new PeImage.Addition(".c", data),
            new PeImage.Addition(".d", data),
            new PeImage.Addition(".e", data),
            new PeImage.Addition(".f", data),
            new PeImage.Addition(".g", data));

    assertThatThrownBy(() -> PeImage.withSections(stub, many, dir.resolve("out")))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("no room in its headers for 7 more sections");
  }

  @Test
  void aFileWithoutPeHeadersIsNoStub() throws IOException {
    Path text = Files.writeString(dir.resolve("text"), "#!/bin/sh\n".repeat(20));

    assertThatThrownBy(() -> PeImage.withSections(text, List.of(), dir.resolve("out")))
        .hasMessageContaining("is not an EFI binary: no MZ header");
  }

  private static int[] sectionHeader(ByteBuffer image, int index) {
    int at = 0x58 + 240 + index * 40;
    return new int[] {
      image.getInt(at + 8), image.getInt(at + 12), image.getInt(at + 16), image.getInt(at + 20)
    };
  }
}
