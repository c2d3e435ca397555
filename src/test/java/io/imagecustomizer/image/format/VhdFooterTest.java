package io.imagecustomizer.image.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.RecordingRunner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream's VHD footer rules, on footers laid out as the VHD specification says. */
class VhdFooterTest {
  @TempDir Path dir;

  private static byte[] footer(String cookie, int version, String creator) {
    ByteBuffer footer = ByteBuffer.allocate(VhdFooter.SIZE);
    footer.put(cookie.getBytes(StandardCharsets.ISO_8859_1));
    footer.putInt(12, version);
    footer.put(28, creator.getBytes(StandardCharsets.ISO_8859_1));
    return footer.array();
  }

  /** A disk of {@code sectors} zero sectors with {@code footer} at its end. */
  private Path disk(int sectors, byte[] footer) throws IOException {
    Path file = dir.resolve("disk-" + sectors + ".img");
    byte[] bytes = new byte[sectors * 512 + footer.length];
    System.arraycopy(footer, 0, bytes, sectors * 512, footer.length);
    return Files.write(file, bytes);
  }

  @Test
  void qemuImgWithoutForceSizeAndVirtualPcAreGeometrySized() {
    for (String creator : new String[] {"qemu", "vpc ", "vs  "}) {
      Optional<VhdFooter> read = VhdFooter.parse(footer("conectix", 0x10000, creator));
      assertThat(read).as(creator).isPresent();
      assertThat(read.get().isGeometrySized()).as(creator).isTrue();
    }
  }

  @Test
  void anyOtherCreatorIsSizedByItsByteCount() {
    for (String creator : new String[] {"qem2", "win ", "wa  "}) {
      VhdFooter read = VhdFooter.parse(footer("conectix", 0x10000, creator)).orElseThrow();
      assertThat(read.isGeometrySized()).as(creator).isFalse();
      assertThat(read.isKnownVersion()).isTrue();
    }
  }

  @Test
  void withoutTheCookieThereIsNoFooter() {
    assertThat(VhdFooter.parse(footer("conectiX", 0x10000, "qemu"))).isEmpty();
    assertThat(VhdFooter.parse(new byte[VhdFooter.SIZE])).isEmpty();
  }

  @Test
  void anotherVersionIsReadButUnknown() {
    assertThat(VhdFooter.parse(footer("conectix", 0x20000, "qem2")).orElseThrow().isKnownVersion())
        .isFalse();
  }

  @Test
  void readsTheLastSectorOfAFile() throws IOException {
    assertThat(VhdFooter.read(disk(4, footer("conectix", 0x10000, "qemu"))))
        .contains(new VhdFooter(0x10000, "qemu"));
    assertThat(VhdFooter.read(Files.write(dir.resolve("short"), new byte[100]))).isEmpty();
  }

  @Test
  void aRawReportedFixedVhdIsOpenedAsVhdByItsByteCount() throws IOException {
    Path vhd = disk(4, footer("conectix", 0x10000, "win "));

    ImageProbe.Source source =
        new ImageProbe(new RecordingRunner("{\"format\": \"raw\"}")).probe(vhd);

    assertThat(source.format()).isEqualTo(DiskFormat.VHD);
    assertThat(source.imageOpts())
        .isEqualTo("driver=vpc,file.filename=" + vhd + ",force_size_calc=current_size");
  }

  @Test
  void aGeometrySizedVhdIsRefusedWithUpstreamsHint() throws IOException {
    Path vhd = disk(4, footer("conectix", 0x10000, "qemu"));

    assertThatThrownBy(
            () -> new ImageProbe(new RecordingRunner("{\"format\": \"vpc\"}")).probe(vhd))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining(vhd.toString())
        .hasMessageContaining("geometry")
        .satisfies(
            e -> assertThat(((ImageCustomizerException) e).hint()).contains("force_size=on"));
  }

  @Test
  void otherFormatsAreTakenFromQemuImgAndCommasInPathsDoubled() throws IOException {
    Path qcow2 = Files.write(dir.resolve("a,b.qcow2"), new byte[1024]);
    RecordingRunner runner =
        new RecordingRunner(
            "{\"children\": [{\"info\": {\"format\": \"file\"}}], \"format\": \"qcow2\"}");

    ImageProbe.Source source = new ImageProbe(runner).probe(qcow2);

    assertThat(source.imageOpts()).isEqualTo("driver=qcow2,file.filename=" + dir + "/a,,b.qcow2");
    assertThat(runner.lines()).containsExactly("qemu-img info -U --output=json " + qcow2);
  }

  @Test
  void anIsoIsToldByItsContent() throws IOException {
    byte[] iso = new byte[40000];
    System.arraycopy("CD001".getBytes(StandardCharsets.ISO_8859_1), 0, iso, 32769, 5);
    Path file = Files.write(dir.resolve("live.img"), iso);

    assertThat(new ImageProbe(new RecordingRunner("{\"format\": \"raw\"}")).probe(file).format())
        .isEqualTo(DiskFormat.ISO);
  }

  @Test
  void unknownFormatsAreRefusedNamingTheFile() throws IOException {
    Path vmdk = Files.write(dir.resolve("disk.vmdk"), new byte[1024]);

    assertThatThrownBy(
            () -> new ImageProbe(new RecordingRunner("{\"format\": \"vmdk\"}")).probe(vmdk))
        .hasMessageContaining(vmdk.toString())
        .hasMessageContaining("\"vmdk\"");
  }
}
