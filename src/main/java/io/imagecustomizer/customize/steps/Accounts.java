package io.imagecustomizer.customize.steps;

import io.imagecustomizer.image.ImageRoot;
import java.util.Optional;

/** Reads users and groups from the image's /etc/passwd and /etc/group. */
final class Accounts {
  private Accounts() {}

  static Optional<Integer> userId(ImageRoot root, String name) {
    return idOf(root, "/etc/passwd", name);
  }

  static Optional<Integer> groupId(ImageRoot root, String name) {
    return idOf(root, "/etc/group", name);
  }

  /** The home folder /etc/passwd gives the user. */
  static Optional<String> home(ImageRoot root, String name) {
    return entry(root, "/etc/passwd", name).map(fields -> fields[5]);
  }

  private static Optional<Integer> idOf(ImageRoot root, String file, String name) {
    return entry(root, file, name).map(fields -> Integer.parseInt(fields[2]));
  }

  private static Optional<String[]> entry(ImageRoot root, String file, String name) {
    if (!root.exists(file)) {
      return Optional.empty();
    }
    return root.readString(file)
        .lines()
        .map(line -> line.split(":", -1))
        .filter(fields -> fields.length > 2 && fields[0].equals(name))
        .findFirst();
  }
}
