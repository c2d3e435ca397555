package io.imagecustomizer.run.stages;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.format.DiskFormat;
import io.imagecustomizer.image.format.ImageProbe;
import io.imagecustomizer.image.format.QemuImg;
import io.imagecustomizer.run.RunContext;
import io.imagecustomizer.run.RunStage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks the user's input image before any work: its content is the format its name says, a VHD is
 * sized by its bytes (upstream's footer rules, {@link ImageProbe}), and the format's own metadata
 * is sound ({@code qemu-img check}). A damaged input is reported as such, naming the user's file,
 * instead of failing later in a mount or in our working copy.
 */
public final class CheckInput implements RunStage {
  private static final String HINT =
      "compare the file's size or checksum with where it came from; an interrupted copy or"
          + " download leaves a file like this";

  @Override
  public String name() {
    return "check input";
  }

  @Override
  public Set<String> applies() {
    return Set.of();
  }

  @Override
  public void run(RunContext run) {
    Path input = run.settings().inputImage();
    DiskFormat content = DiskFormat.detect(input);
    DiskFormat named = DiskFormat.named(input);
    if (named != null && named != content) {
      throw new ImageCustomizerException(
          "the input image "
              + input
              + " is not what its name says: it is named ."
              + named.name().toLowerCase(Locale.ROOT)
              + " but holds "
              + describe(content),
          "a file damaged at its start looks like this; else rename it to its format");
    }
    if (content == DiskFormat.VHD) {
      // As upstream: a geometry-sized VHD would lose its last sectors in the working copy.
      ImageProbe.checkVhd(input);
    }
    if (content.isCheckable()) {
      Optional<String> problem = new QemuImg(run.runner()).check(input, content);
      if (problem.isPresent()) {
        String what =
            problem.get().contains("end of the file")
                ? "it is truncated"
                : "its " + content.name().toLowerCase(Locale.ROOT) + " metadata is corrupt";
        throw damaged(input, what + " (qemu-img check: " + problem.get() + ")");
      }
    }
  }

  private static String describe(DiskFormat format) {
    return switch (format) {
      case RAW -> "raw data (no qcow2, vhd, vhdx or ISO 9660 header)";
      case ISO -> "an ISO 9660 filesystem";
      default -> "a " + format.name().toLowerCase(Locale.ROOT) + " image";
    };
  }

  /** The input image as the user named it, damaged in the way {@code what} says. */
  static ImageCustomizerException damaged(Path input, String what) {
    return damaged(input, what, HINT);
  }

  static ImageCustomizerException damaged(Path input, String what, @Nullable String hint) {
    return new ImageCustomizerException(
        "the input image " + input + " is damaged: " + what, hint == null ? HINT : hint);
  }
}
