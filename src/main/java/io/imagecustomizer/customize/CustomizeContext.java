package io.imagecustomizer.customize;

import io.imagecustomizer.chroot.ImageShell;
import io.imagecustomizer.config.Config;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.config.Os;
import io.imagecustomizer.image.ImageRoot;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What every step of one customize run works on: the config (the chain's merged settings, or one
 * member config for per-config steps), the config named on the command line as its file says it
 * (what the image history records), the image's root filesystem as files and as a place to run
 * programs, the facts of this run (its id and time, for the release file), the package sources and
 * the package snapshot time given on the command line (which stands in for every config's), and the
 * disk image when the OS is on one ({@code disk} is null for an OS tree unpacked from an ISO).
 */
public record CustomizeContext(
    LoadedConfig loaded,
    LoadedConfig named,
    ImageRoot root,
    ImageShell shell,
    String imageUuid,
    Instant buildTime,
    String toolVersion,
    RpmSources rpmSources,
    @Nullable Instant packageSnapshotTime,
    @Nullable BootDisk disk) {

  /** The same run, looking at one config of a base-config chain. */
  public CustomizeContext withConfig(LoadedConfig member) {
    return new CustomizeContext(
        member,
        named,
        root,
        shell,
        imageUuid,
        buildTime,
        toolVersion,
        rpmSources,
        packageSnapshotTime,
        disk);
  }

  public Config config() {
    return loaded.config();
  }

  /** The {@code os} section, if the config has one. */
  public Optional<Os> os() {
    return Optional.ofNullable(loaded.config().os());
  }

  /** A path from the config, resolved against the config file's folder. */
  public Path configPath(String path) {
    return loaded.resolve(path);
  }
}
