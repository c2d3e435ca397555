package io.imagecustomizer.run.stages;

import io.imagecustomizer.liveos.IsoMedia;
import io.imagecustomizer.liveos.LiveOsWorkDir;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks the OS of an ISO input (its squashfs, or full-OS initrd) into a tree, when the config
 * changes the OS or the initramfs type; the media are then built from that tree.
 */
public final class UnpackOs implements RunStage {
  private static final Logger LOG = LoggerFactory.getLogger(UnpackOs.class);

  @Override
  public String name() {
    return "unpack os";
  }

  @Override
  public Set<String> applies() {
    return Set.of();
  }

  @Override
  public boolean isNeeded(RunContext run) {
    return isNeededFor(run);
  }

  /**
   * Whether the OS of the ISO input must be rebuilt rather than reused as it is: also when the
   * config says where the kdump files go, which may move them between the OS and the media.
   */
  static boolean isNeededFor(RunContext run) {
    return changesOs(run)
        || run.liveMedia().type() != run.isoInput().type()
        || run.liveMedia().kdump() != null;
  }

  private static boolean changesOs(RunContext run) {
    return run.settings().chain().members().stream()
        .anyMatch(m -> m.config().os() != null || !m.config().scripts().isEmpty());
  }

  @Override
  public void run(RunContext run) {
    IsoMedia input = run.isoInput();
    LOG.info(
        changesOs(run)
            ? "The config customizes the OS: unpacking and rebuilding it"
            : "Turning a " + input.type() + " Live OS into a " + run.liveMedia().type() + " one");
    LiveOsWorkDir work = new LiveOsWorkDir(run.liveOsWork());
    input.unpackOs(run.runner(), work);
    run.liveOs(run.liveOsBuilder().fromTree(work.rootfs()));
  }
}
