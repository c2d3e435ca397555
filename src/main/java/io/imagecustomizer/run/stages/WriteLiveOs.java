package io.imagecustomizer.run.stages;

import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.liveos.LiveMedia;
import io.imagecustomizer.liveos.LiveOsIsoBuilder;
import io.imagecustomizer.run.Publish;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Builds the Live OS media (initrds, squashfs or full-OS initrd, grub.cfg, EFI boot image) and
 * writes them as an ISO, a PXE folder or a PXE .tar.gz.
 */
public final class WriteLiveOs implements RunStage {
  @Override
  public String name() {
    return "write live os";
  }

  @Override
  public Set<String> applies() {
    return Set.of(
        "output.image.path",
        "output.image.format",
        "iso.kernelCommandLine",
        "iso.additionalFiles",
        "iso.initramfsType",
        "pxe.kernelCommandLine",
        "pxe.additionalFiles",
        "pxe.initramfsType",
        "pxe.bootstrapBaseUrl",
        "pxe.bootstrapFileUrl");
  }

  @Override
  public void run(RunContext run) {
    RunSettings settings = run.settings();
    LiveOsIsoBuilder builder = run.liveOsBuilder();
    LiveOsIsoBuilder.Stage stage = run.liveOs();
    LiveMedia media = run.liveMedia();
    LoadedConfig config = settings.loaded();
    Path work = run.liveOsWork();
    Path output = settings.outputPath();
    run.published(
        switch (settings.outputFormat()) {
          case ISO ->
              List.of(
                  Publish.file(
                      output, partial -> builder.build(stage, media, config, work, partial)));
          case PXE_TAR ->
              List.of(
                  Publish.file(
                      output, partial -> builder.buildPxeTar(stage, media, config, work, partial)));
          default ->
              Publish.folder(
                  output, folder -> builder.buildPxe(stage, media, config, work, folder));
        });
  }
}
