package io.imagecustomizer.customize;

import io.imagecustomizer.chroot.ImageShell;
import io.imagecustomizer.image.ImageRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Records what the steps would run inside the image. {@code useradd} is acted out in /etc/passwd,
 * so later steps see the user, as they would in a real image.
 */
final class FakeShell implements ImageShell {
  record Call(List<String> argv, Map<String, String> environment, @Nullable String stdin) {
    String line() {
      return String.join(" ", argv);
    }
  }

  final List<Call> calls = new ArrayList<>();
  final List<String> binds = new ArrayList<>();

  /** The text of {@link #watched} in the image when each command ran, if it existed then. */
  final List<String> seen = new ArrayList<>();

  @Nullable String watched;

  /** Standard output of the commands run for a purpose ({@code what}); empty for the others. */
  final Map<String, String> answers = new HashMap<>();

  private final ImageRoot root;

  FakeShell(ImageRoot root) {
    this.root = root;
  }

  List<String> lines() {
    return calls.stream().map(Call::line).toList();
  }

  @Override
  public String run(
      String what, List<String> argv, Map<String, String> environment, @Nullable String stdin) {
    calls.add(new Call(List.copyOf(argv), Map.copyOf(environment), stdin));
    if (watched != null && root.exists(watched)) {
      seen.add(root.readString(watched));
    }
    if (argv.get(0).equals("useradd")) {
      String name = argv.get(argv.size() - 1);
      append("/etc/passwd", name + ":x:1001:1001::/home/" + name + ":/bin/sh\n");
    }
    return answers.getOrDefault(what, "");
  }

  @Override
  public AutoCloseable bindReadOnly(Path hostFolder, String imagePath) {
    binds.add(hostFolder + " -> " + imagePath);
    return () -> binds.add("unbound " + imagePath);
  }

  private void append(String file, String line) {
    try {
      Files.writeString(
          root.resolve(file), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
