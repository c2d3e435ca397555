package io.imagecustomizer.config;

import static io.imagecustomizer.config.Checks.blank;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/** The rules of {@code scripts}. */
final class ScriptsRules {
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final Checks checks;
  private final Problems problems;
  private final LoadedConfig loaded;

  ScriptsRules(Checks checks) {
    this.checks = checks;
    this.problems = checks.problems();
    this.loaded = checks.loaded();
  }

  void check(Scripts scripts) {
    scriptList("scripts.postCustomization", scripts.postCustomization());
    scriptList("scripts.finalizeCustomization", scripts.finalizeCustomization());
  }

  private void scriptList(String list, List<Script> scripts) {
    for (int i = 0; i < scripts.size(); i++) {
      String at = list + "[" + i + "]";
      Script script = scripts.get(i);
      boolean hasPath = !blank(script.path());
      boolean hasContent = script.content() != null && !script.content().isEmpty();
      if (hasPath && hasContent) {
        problems.add(at, "path and content may not both be given");
      } else if (!hasPath && !hasContent) {
        problems.add(at, "either path or content must be given");
      }
      if (hasPath) {
        Path path = Path.of(script.path());
        if (path.isAbsolute() || path.normalize().startsWith("..")) {
          problems.add(
              at + ".path",
              "script file is not under the config file's folder",
              "scripts are reached inside the image through the config folder; move the script"
                  + " into "
                  + loaded.baseDir()
                  + " and use a relative path");
        } else {
          checks.existingFile(at + ".path", script.path(), "script");
        }
      }
      if (script.interpreter() != null && script.interpreter().isBlank()) {
        problems.add(at + ".interpreter", "must not be empty");
      }
      for (String name : script.environmentVariables().keySet()) {
        if (!ENV_NAME.matcher(name).matches()) {
          problems.add(
              at + ".environmentVariables." + name,
              "\"" + name + "\" is not a valid environment variable name");
        }
      }
    }
  }
}
