package io.imagecustomizer.run.stages;

import io.imagecustomizer.boot.Ukis;
import io.imagecustomizer.config.InjectFilesConfig;
import io.imagecustomizer.config.InjectFilesConfig.InjectFile;
import io.imagecustomizer.config.InjectFilesConfig.PartitionId;
import io.imagecustomizer.config.OutputArtifacts;
import io.imagecustomizer.config.PreviewFeature;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.format.fat.FatImage;
import io.imagecustomizer.image.partition.GptReader;
import io.imagecustomizer.image.partition.Partition;
import io.imagecustomizer.liveos.BootBinaries;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import io.imagecustomizer.run.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * {@code output.artifacts}: the customized image's boot binaries copied out, unsigned, into the
 * artifacts folder ({@code shim/}, {@code bootloader/}), with the {@code inject-files.yaml} that
 * says where each goes back (the ESP by its partition UUID), for {@code inject-files} once they are
 * signed. Written as upstream does, after the OS and verity and before the output.
 */
public final class WriteArtifacts implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(WriteArtifacts.class);

  /** The name of the inject-files config in the artifacts folder. */
  public static final String INJECT_FILES = "inject-files.yaml";

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
          .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
          .build();

  @Override
  public String name() {
    return "write artifacts";
  }

  @Override
  public Set<String> applies() {
    return Set.of("output.artifacts");
  }

  @Override
  public boolean isNeeded(RunContext run) {
    return run.settings().config().output().artifacts() != null;
  }

  @Override
  public void run(RunContext run) {
    OutputArtifacts artifacts = run.settings().config().output().artifacts();
    Path folder = run.settings().artifactsFolder();
    Path raw = run.workspace().rawImage();
    Partition esp =
        GptReader.read(raw).stream()
            .filter(Partition::isEsp)
            .findFirst()
            .orElseThrow(
                () ->
                    new ImageCustomizerException(
                        "output.artifacts: the image has no EFI system partition to take the"
                            + " shim and boot loader from",
                        "artifacts are the UEFI boot binaries; a BIOS-only image has none"));
    FatImage fat = FatImage.at(run.runner(), raw, esp.offset());
    List<String> files = fat.list();
    PartitionId espId = new PartitionId("part-uuid", esp.uuid());
    Set<OutputArtifacts.Item> items = new LinkedHashSet<>(artifacts.items());
    // Compared once (it copies both loaders out), and only for the items that depend on it.
    boolean defaultIsSystemdBoot =
        (items.contains(OutputArtifacts.Item.SHIM)
                || items.contains(OutputArtifacts.Item.BOOTLOADER))
            && bootsSystemdBoot(fat, files, folder);
    List<InjectFile> entries = new ArrayList<>();
    for (OutputArtifacts.Item item : items) {
      switch (item) {
        case SHIM -> {
          if (defaultIsSystemdBoot) {
            LOG.warn("output.artifacts: shim writes nothing: the ESP starts systemd-boot directly");
          } else {
            BootBinaries binaries = BootBinaries.find(fat, files);
            entries.add(copyOut(fat, binaries.shim(), folder, "shim", espId));
          }
        }
        case BOOTLOADER ->
            entries.addAll(bootloader(fat, files, defaultIsSystemdBoot, folder, espId));
        case UKIS -> entries.addAll(ukis(fat, files, folder, espId));
        case VERITY_HASH ->
            // Upstream writes a verity device's root hash only for a hashSignaturePath, which this
            // version refuses: there is none to write.
            LOG.warn(
                "output.artifacts: verity-hash writes nothing: no storage.verity entry has a"
                    + " hashSignaturePath");
      }
    }
    Path config = folder.resolve(INJECT_FILES);
    Path partial = Workspace.partial(config);
    try {
      Files.writeString(
          partial,
          YAML.writeValueAsString(
              new InjectFilesConfig(entries, List.of(PreviewFeature.INJECT_FILES))));
      Files.move(partial, config, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + config, e);
    } finally {
      deleteQuietly(partial);
    }
    LOG.info("Wrote {} artifacts and {} to {}", entries.size(), INJECT_FILES, folder);
  }

  /**
   * The boot loader: systemd-boot where the image has it (then also at the firmware's default path
   * when that is a copy of it, as {@code os.uki} installs it), else the grub that shim starts.
   */
  private static List<InjectFile> bootloader(
      FatImage esp,
      List<String> files,
      boolean defaultIsSystemdBoot,
      Path folder,
      PartitionId espId) {
    Optional<String> systemdBoot = FatImage.find(files, Ukis.SYSTEMD_BOOT_ON_ESP);
    if (systemdBoot.isEmpty()) {
      BootBinaries binaries = BootBinaries.find(esp, files);
      return List.of(copyOut(esp, binaries.grub(), folder, "bootloader", espId));
    }
    InjectFile copied = copyOut(esp, systemdBoot.get(), folder, "bootloader", espId);
    List<InjectFile> entries = new ArrayList<>(List.of(copied));
    if (defaultIsSystemdBoot) {
      entries.add(
          new InjectFile(
              espId,
              FatImage.find(files, Ukis.DEFAULT_LOADER).orElseThrow(),
              copied.source(),
              "bootloader"));
    }
    return entries;
  }

  /** Whether the firmware's default loader is the ESP's systemd-boot (byte for byte). */
  private static boolean bootsSystemdBoot(FatImage esp, List<String> files, Path folder) {
    Optional<String> systemdBoot = FatImage.find(files, Ukis.SYSTEMD_BOOT_ON_ESP);
    Optional<String> loader = FatImage.find(files, Ukis.DEFAULT_LOADER);
    if (systemdBoot.isEmpty() || loader.isEmpty()) {
      return false;
    }
    Path a = Workspace.partial(folder.resolve("systemd-boot"));
    Path b = Workspace.partial(folder.resolve("default-loader"));
    try {
      Files.createDirectories(folder);
      esp.copyOut(systemdBoot.get(), a);
      esp.copyOut(loader.get(), b);
      return Files.mismatch(a, b) == -1;
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot compare the ESP's boot loaders in " + folder, e);
    } finally {
      deleteQuietly(a);
      deleteQuietly(b);
    }
  }

  /** Every UKI under /EFI/Linux, and its command-line addons (upstream's type uki-addons). */
  private static List<InjectFile> ukis(
      FatImage esp, List<String> files, Path folder, PartitionId espId) {
    Map<String, String> ukis = Ukis.on(files);
    if (ukis.isEmpty()) {
      LOG.warn("output.artifacts: ukis writes nothing: the image has no UKIs on its ESP");
    }
    List<InjectFile> entries = new ArrayList<>();
    for (Map.Entry<String, String> uki : ukis.entrySet()) {
      entries.add(copyOut(esp, uki.getValue(), folder, "ukis", espId));
      String addons = uki.getValue() + ".extra.d/";
      for (String file : files) {
        if (file.regionMatches(true, 0, addons, 0, addons.length())
            && !file.endsWith("/")
            && file.indexOf('/', addons.length()) < 0) {
          String kind = "ukis/" + fileName(uki.getValue()) + ".extra.d";
          InjectFile addon = copyOut(esp, file, folder, kind, espId);
          entries.add(new InjectFile(espId, file, addon.source(), "uki-addons"));
        }
      }
    }
    return entries;
  }

  /**
   * Copies one ESP file into {@code folder/kind/} under its own name; shim and boot loader in lower
   * case (FAT ignores case; upstream names them {@code bootx64.efi}, {@code grubx64.efi}).
   */
  private static InjectFile copyOut(
      FatImage esp, String espPath, Path folder, String kind, PartitionId espId) {
    String name = fileName(espPath);
    if (!kind.startsWith("ukis")) {
      name = name.toLowerCase(Locale.ROOT);
    }
    Path target = folder.resolve(kind).resolve(name);
    Path partial = Workspace.partial(target);
    try {
      Files.createDirectories(target.getParent());
      esp.copyOut(espPath, partial);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + target, e);
    } finally {
      deleteQuietly(partial);
    }
    return new InjectFile(espId, espPath, "./" + kind + "/" + name, kind);
  }

  private static String fileName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("cannot delete {}", file, e);
    }
  }
}
