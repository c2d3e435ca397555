package io.imagecustomizer.run.stages;

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
    BootBinaries binaries = BootBinaries.on(FatImage.at(run.runner(), raw, esp.offset()));
    PartitionId espId = new PartitionId("part-uuid", esp.uuid());
    List<InjectFile> entries = new ArrayList<>();
    for (OutputArtifacts.Item item : new LinkedHashSet<>(artifacts.items())) {
      switch (item) {
        case SHIM -> entries.add(copyOut(binaries, binaries.shim(), folder, "shim", espId));
        case BOOTLOADER ->
            entries.add(copyOut(binaries, binaries.grub(), folder, "bootloader", espId));
        case VERITY_HASH ->
            // Upstream writes a verity device's root hash only for a hashSignaturePath, which this
            // version refuses: there is none to write.
            LOG.warn(
                "output.artifacts: verity-hash writes nothing: no storage.verity entry has a"
                    + " hashSignaturePath");
        case UKIS -> throw new IllegalStateException("ukis artifacts are refused before the run");
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
   * Copies one ESP file into {@code folder/kind/} under its own name in lower case (FAT ignores
   * case; upstream names them {@code bootx64.efi}, {@code grubx64.efi}).
   */
  private static InjectFile copyOut(
      BootBinaries binaries, String espPath, Path folder, String kind, PartitionId esp) {
    String name = espPath.substring(espPath.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    Path target = folder.resolve(kind).resolve(name);
    Path partial = Workspace.partial(target);
    try {
      Files.createDirectories(target.getParent());
      binaries.esp().copyOut(espPath, partial);
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write " + target, e);
    } finally {
      deleteQuietly(partial);
    }
    return new InjectFile(esp, espPath, "./" + kind + "/" + name, kind);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("cannot delete {}", file, e);
    }
  }
}
