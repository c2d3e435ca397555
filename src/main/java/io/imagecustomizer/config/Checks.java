package io.imagecustomizer.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the rules of every section share: the config, whether named files are checked, where
 * problems go, and the checks more than one section makes (files to copy, kernel arguments, preview
 * features).
 */
final class Checks {
  private final LoadedConfig loaded;
  private final Config config;
  private final boolean checkFiles;
  private final Problems problems;

  Checks(LoadedConfig loaded, boolean checkFiles) {
    this.loaded = loaded;
    this.config = loaded.config();
    this.checkFiles = checkFiles;
    this.problems = new Problems(loaded);
  }

  LoadedConfig loaded() {
    return loaded;
  }

  Config config() {
    return config;
  }

  boolean checkFiles() {
    return checkFiles;
  }

  Problems problems() {
    return problems;
  }

  void needsPreview(String at, PreviewFeature feature) {
    if (!config.hasPreview(feature)) {
      problems.addAtKey(
          at,
          "needs the preview feature '" + feature + "'",
          "add it to previewFeatures: [" + feature + "]");
    }
  }

  void kernelArgs(String at, List<String> args) {
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).isBlank()) {
        problems.add(at + "[" + i + "]", "kernel argument must not be empty");
      }
    }
  }

  void additionalFiles(String at, List<AdditionalFile> files, boolean mustBeAbsolute) {
    Map<String, Integer> destinations = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      String f = at + "[" + i + "]";
      AdditionalFile file = files.get(i);
      String destination = file.destination();
      if (blank(destination)) {
        problems.add(f + ".destination", "must not be empty");
      } else {
        destination(f + ".destination", destination, mustBeAbsolute);
        Integer previous =
            destinations.putIfAbsent(Path.of("/", destination).normalize().toString(), i);
        if (previous != null) {
          problems.add(
              f + ".destination",
              "duplicate destination " + destination + " (also " + at + "[" + previous + "])");
        }
      }
      if (file.source() != null && file.content() != null) {
        problems.add(f, "cannot specify both 'source' and 'content'");
      } else if (file.source() == null && file.content() == null) {
        problems.add(f, "must specify either 'source' or 'content'");
      } else if (file.source() != null) {
        existingFile(f + ".source", file.source(), "source file");
      }
      permissions(f + ".permissions", file.permissions());
    }
  }

  void destination(String at, String destination, boolean mustBeAbsolute) {
    if (mustBeAbsolute && !destination.startsWith("/")) {
      problems.add(at, "must be an absolute path", "e.g. /" + destination);
    }
    if (List.of(destination.split("/")).contains("..")) {
      problems.add(at, "must not contain '..'", "write the path without going up a folder");
    }
  }

  void permissions(String at, @Nullable String text) {
    if (text != null) {
      // only the problem matters here; the step that sets the mode parses it again
      problems.value(at, FileMode.parse(text));
    }
  }

  void existingFile(String at, String path, String what) {
    if (checkFiles) {
      fileExists(at, loaded.resolve(path), what);
    }
  }

  boolean fileExists(String at, Path file, String what) {
    if (!Files.exists(file)) {
      problems.add(
          at,
          what + " " + file + " does not exist",
          "relative paths are resolved against the config file's folder");
      return false;
    }
    if (!Files.isRegularFile(file)) {
      problems.add(at, what + " " + file + " is not a file");
      return false;
    }
    return true;
  }

  static boolean blank(@Nullable String text) {
    return text == null || text.isBlank();
  }
}
