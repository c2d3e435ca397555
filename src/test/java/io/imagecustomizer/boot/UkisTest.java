package io.imagecustomizer.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.format.pe.PeImage;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.ProcessRunner;
import io.imagecustomizer.testing.PeStubs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UkisTest {
  private static final List<String> ESP =
      List.of(
          "/EFI/",
          "/EFI/BOOT/",
          "/EFI/BOOT/BOOTX64.EFI",
          "/EFI/Linux/",
          "/EFI/Linux/vmlinuz-6.1.0-50-amd64.efi",
          "/EFI/Linux/vmlinuz-6.1.0-50-amd64.efi.extra.d/",
          "/EFI/Linux/vmlinuz-6.1.0-50-amd64.efi.extra.d/vmlinuz-6.1.0-50-amd64.addon.efi",
          "/EFI/linux/VMLINUZ-6.6.0.EFI",
          "/EFI/Linux/other.efi");

  private static final String UKI = "/EFI/Linux/vmlinuz-6.1.0.efi";
  private static final String ADDON =
      "/EFI/Linux/vmlinuz-6.1.0.efi.extra.d/vmlinuz-6.1.0.addon.efi";
  private static final String OTHER_UKI = "/EFI/Linux/vmlinuz-6.6.0.efi";
  private static final String OTHER_ADDON =
      "/EFI/Linux/vmlinuz-6.6.0.efi.extra.d/vmlinuz-6.6.0.addon.efi";

  @TempDir Path dir;

  @Test
  void findsUkisByKernelVersionIgnoringCaseAndFolders() {
    assertThat(Ukis.on(ESP))
        .containsExactly(
            entry("6.1.0-50-amd64", "/EFI/Linux/vmlinuz-6.1.0-50-amd64.efi"),
            entry("6.6.0", "/EFI/linux/VMLINUZ-6.6.0.EFI"));
  }

  @Test
  void findsTheAddonBesideItsUki() {
    assertThat(Ukis.addonOn(ESP, "6.1.0-50-amd64"))
        .contains("/EFI/Linux/vmlinuz-6.1.0-50-amd64.efi.extra.d/vmlinuz-6.1.0-50-amd64.addon.efi");
    assertThat(Ukis.addonOn(ESP, "6.6.0")).isEmpty();
    assertThat(Ukis.addonPath("6.6.0"))
        .isEqualTo("/EFI/Linux/vmlinuz-6.6.0.efi.extra.d/vmlinuz-6.6.0.addon.efi");
  }

  @Test
  void dropsWhatOnlyGrubUnderstandsFromItsArguments() {
    assertThat(
            Ukis.fromGrub(
                List.of(
                    "BOOT_IMAGE=/boot/vmlinuz-6.1.0",
                    "root=UUID=1234",
                    "ro",
                    "$kernelopts",
                    "console=ttyS0,115200n8")))
        .containsExactly("root=UUID=1234", "ro", "console=ttyS0,115200n8");
  }

  @Test
  void anAddonRewrittenKeepsItsOtherSectionsAndAnUnchangedOneStays() throws IOException {
    Path stub = PeStubs.stub(dir.resolve("stub"), 0x400);
    FakeEsp esp = new FakeEsp();
    esp.put(UKI, stub);
    esp.put(ADDON, addon(stub, "a", "ro"));
    esp.put(OTHER_UKI, stub);
    esp.put(OTHER_ADDON, addon(stub, "b", "ro quiet"));

    Ukis.editAddons(esp.fat(), esp.listing(), Optional.empty(), "quiet", UkisTest::withQuiet, dir);

    assertThat(esp.replaced).containsExactly(ADDON);
    Path rewritten = esp.copyOut(ADDON);
    assertThat(Ukis.commandLine(rewritten)).contains("ro quiet");
    assertThat(PeImage.section(rewritten, ".sbat")).isPresent();
  }

  @Test
  void anAddonBuiltFromTheStubHasOnlyTheCommandLine() throws IOException {
    Path stub = PeStubs.stub(dir.resolve("stub"), 0x400);
    FakeEsp esp = new FakeEsp();
    esp.put(UKI, stub);
    esp.put(ADDON, addon(stub, "a", "ro"));

    Ukis.editAddons(esp.fat(), esp.listing(), Optional.of(stub), "quiet", UkisTest::withQuiet, dir);

    Path rebuilt = esp.copyOut(ADDON);
    assertThat(Ukis.commandLine(rebuilt)).contains("ro quiet");
    assertThat(PeImage.section(rebuilt, ".sbat")).isEmpty();
  }

  @Test
  void aUkiWithoutAnAddonIsRefused() throws IOException {
    FakeEsp esp = new FakeEsp();
    esp.put(UKI, PeStubs.stub(dir.resolve("stub"), 0x400));

    assertThatThrownBy(
            () -> Ukis.editAddons(esp.fat(), esp.listing(), Optional.empty(), "quiet", l -> l, dir))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining(UKI + " carries its kernel command line inside, where quiet");
  }

  private static String withQuiet(String line) {
    return line.endsWith("quiet") ? line : line + " quiet";
  }

  /** An addon as a signing tool leaves it: an .sbat section, then the command line. */
  private Path addon(Path stub, String name, String commandLine) throws IOException {
    Path out = dir.resolve(name + ".addon.efi");
    PeImage.withSections(
        stub,
        List.of(
            new PeImage.Addition(".sbat", Files.writeString(dir.resolve(name + ".sbat"), "sbat")),
            new PeImage.Addition(
                ".cmdline", Files.writeString(dir.resolve(name + ".cmdline"), commandLine))),
        out);
    return out;
  }

  /** An ESP whose files are kept in a map, mcopy played by copying them. */
  private final class FakeEsp implements ProcessRunner {
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    final List<String> replaced = new ArrayList<>();

    void put(String path, Path file) throws IOException {
      files.put(path, Files.readAllBytes(file));
    }

    FatImage fat() {
      return FatImage.at(this, dir.resolve("disk.raw"), 0);
    }

    List<String> listing() {
      return List.copyOf(files.keySet());
    }

    Path copyOut(String path) throws IOException {
      return Files.write(dir.resolve("out.efi"), files.get(path));
    }

    @Override
    public ProcessResult run(Command command) {
      return runAllowingFailure(command);
    }

    @Override
    public ProcessResult runAllowingFailure(Command command) {
      List<String> argv = command.argv();
      String from = argv.get(argv.size() - 2);
      String to = argv.get(argv.size() - 1);
      try {
        if (from.startsWith("::")) {
          Files.write(Path.of(to), files.get(from.substring(2)));
        } else {
          files.put(to.substring(2), Files.readAllBytes(Path.of(from)));
          replaced.add(to.substring(2));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new ProcessResult(0, "", "");
    }
  }
}
