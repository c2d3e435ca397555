package io.imagecustomizer.boot;

import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Block device nodes in the chroot's own /dev (a tmpfs that goes with the chroot and holds none of
 * the host's), for the image's boot loader tools that open the devices of this run.
 */
public final class DeviceNodes {
  private DeviceNodes() {}

  /**
   * Makes {@code device}'s node in the image's /dev unless it is there.
   *
   * @return the node's name, e.g. {@code loop3}
   */
  public static String make(ProcessRunner runner, ImageRoot root, String device) {
    String name = Path.of(device).getFileName().toString();
    Path node = root.hostPath().resolve("dev").resolve(name);
    if (!Files.exists(node)) {
      String[] number = numbers(name);
      runner.run(Command.of("mknod", "-m", "600", node.toString(), "b", number[0], number[1]));
    }
    return name;
  }

  private static String[] numbers(String name) {
    try {
      return Files.readString(Path.of("/sys/block", name, "dev")).strip().split(":");
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read the device number of /dev/" + name, e);
    }
  }
}
