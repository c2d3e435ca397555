package io.imagecustomizer.run;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.SystemProcessRunner;
import io.imagecustomizer.run.plan.CustomizeRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the hardening ITs share: the packaged tool run as its own process (so it can be signalled
 * and run as another user), the stages it is in as read from its {@code --timestamp-file}, and
 * small filesystems to use as a build dir.
 */
final class Runs {
  static final Path JAR = Path.of("target/imagecustomizer.jar");
  static final Path HOSTNAME = Path.of("src/test/resources/it/interrupt/hostname.yaml");
  private static final Pattern RECORD =
      Pattern.compile(
          "\"EventType\":(\\d).*\"Name\":\"([^\"]*)\".*\"ID\":(\\d+).*\"ParentID\":(\\d+)");

  private Runs() {}

  /** {@code java -jar} the tool with {@code args}, its output in {@code log}. */
  static Process start(List<String> prefix, Path log, String... args) throws IOException {
    List<String> argv = new ArrayList<>(prefix);
    argv.addAll(List.of("java", "-jar", JAR.toAbsolutePath().toString()));
    argv.addAll(List.of(args));
    return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** A stage span as the timestamp file shows it: started, and ended or not. */
  record Stage(String name, boolean ended) {}

  /** The run's stages so far, in the order they started. */
  static List<Stage> stages(Path timestamps) throws IOException {
    if (!Files.exists(timestamps)) {
      return List.of();
    }
    long root = -1;
    Map<Long, String> started = new LinkedHashMap<>();
    Map<Long, Boolean> ended = new HashMap<>();
    for (String line : Files.readAllLines(timestamps)) {
      Matcher match = RECORD.matcher(line);
      if (!match.find()) {
        continue; // a line being written
      }
      long id = Long.parseLong(match.group(3));
      long parent = Long.parseLong(match.group(4));
      if (match.group(2).equals(CustomizeRun.ROOT_SPAN)) {
        root = id;
      } else if (parent == root) {
        if (match.group(1).equals("0")) {
          started.put(id, match.group(2));
        } else {
          ended.put(id, true);
        }
      }
    }
    List<Stage> stages = new ArrayList<>();
    started.forEach((id, name) -> stages.add(new Stage(name, ended.getOrDefault(id, false))));
    return stages;
  }

  /** The stage running now, if one is. */
  static Optional<String> running(Path timestamps) throws IOException {
    List<Stage> stages = stages(timestamps);
    if (stages.isEmpty() || stages.get(stages.size() - 1).ended()) {
      return Optional.empty();
    }
    return Optional.of(stages.get(stages.size() - 1).name());
  }

  /** Mounts a tmpfs of {@code size} (as mount -o size= takes it) at {@code at}. */
  static void tmpfs(Path at, String size) throws IOException {
    Files.createDirectories(at);
    run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString());
  }

  /**
   * Mounts a fresh ext4 filesystem of {@code size} (as truncate takes it) at {@code at}, kept in
   * {@code file}: fallocate fills it at once, where a tmpfs would take seconds.
   */
  static void ext4(Path file, Path at, String size) throws IOException {
    Files.createDirectories(at);
    run("truncate", "-s", size, file.toString());
    run("mkfs.ext4", "-q", "-F", "-m", "0", file.toString());
    run("mount", "-o", "loop", file.toString(), at.toString());
  }

  static void unmount(Path at) {
    new SystemProcessRunner().runAllowingFailure(Command.of("umount", "--lazy", at.toString()));
  }

  /** Takes what is left of the filesystem holding {@code folder}, so the next write fails. */
  static void fill(Path folder) {
    Path filler = filler(folder);
    new SystemProcessRunner()
        .runAllowingFailure(
            Command.of(
                "sh",
                "-c",
                "fallocate -l $(( $(stat -f -c '%a*%S' "
                    + folder
                    + ") )) "
                    + filler
                    + " || true; dd if=/dev/zero of="
                    + filler
                    + "-tail bs=64k 2>/dev/null || true"));
  }

  /** The file {@link #fill} fills {@code folder} with; delete it and its "-tail" to free it. */
  static Path filler(Path folder) {
    return folder.resolve("filler");
  }

  static void unfill(Path folder) throws IOException {
    Files.deleteIfExists(filler(folder));
    Files.deleteIfExists(folder.resolve("filler-tail"));
  }

  static String run(String... argv) {
    return new SystemProcessRunner().run(Command.of(argv)).stdout();
  }

  /** Processes other than this JVM whose command line names {@code text}. */
  static List<String> processesNaming(String text) {
    List<String> found = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != self)
        .forEach(
            p -> {
              String line = p.info().commandLine().orElse("");
              if (line.contains(text)) {
                found.add(p.pid() + " " + line);
              }
            });
    return found;
  }
}
