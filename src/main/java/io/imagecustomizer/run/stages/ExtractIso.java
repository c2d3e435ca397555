package io.imagecustomizer.run.stages;

import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.liveos.IsoMedia;
import io.imagecustomizer.liveos.LiveMedia;
import io.imagecustomizer.liveos.LiveOsIsoBuilder;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.nio.file.Path;
import java.util.Set;

/**
 * Checks and extracts a Live OS ISO input (one this tool made) into the Live OS work folder's
 * staging folder, and works out the media settings: the earlier runs' kernel arguments first.
 */
public final class ExtractIso implements RunStage {
  @Override
  public String name() {
    return "extract iso";
  }

  @Override
  public Set<String> applies() {
    return Set.of("input.image.path");
  }

  @Override
  public void run(RunContext run) {
    RunSettings settings = run.settings();
    Path work = run.createLiveOsWork();
    IsoMedia input =
        IsoMedia.extract(run.runner(), settings.inputImage(), LiveOsIsoBuilder.stagingDir(work));
    run.isoInput(input);
    LiveMedia media = LiveOutput.media(settings, input.type()).afterEarlierArgs(input.savedArgs());
    // Only now is the input's own initramfs type known; still before any heavy work.
    if (settings.outputFormat().isPxe()
        && media.type() == InitramfsType.BOOTSTRAP
        && media.bootstrapUrl() == null) {
      throw new ImageCustomizerException(
          settings.inputImage()
              + " is a bootstrap Live OS, whose PXE initrd downloads the OS,"
              + " but no URL is given",
          "set pxe.bootstrapBaseUrl or pxe.bootstrapFileUrl, or pxe.initramfsType: full-os");
    }
    run.liveMedia(media);
  }
}
