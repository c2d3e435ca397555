package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.Script;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code scripts.postCustomization} or {@code scripts.finalizeCustomization}: each script runs in
 * the image with the config folder mounted read-only at {@value #CONFIG_MOUNT}; a file script runs
 * from there, an inline one from a temporary file under /tmp.
 */
public final class ScriptsStep implements Step {
  static final String CONFIG_MOUNT = "/_imageconfigs";

  private final String listName;
  private final Function<CustomizeContext, List<Script>> scripts;

  private ScriptsStep(String listName, Function<CustomizeContext, List<Script>> scripts) {
    this.listName = listName;
    this.scripts = scripts;
  }

  public static ScriptsStep postCustomization() {
    return new ScriptsStep("postCustomization", c -> c.config().scripts().postCustomization());
  }

  public static ScriptsStep finalizeCustomization() {
    return new ScriptsStep(
        "finalizeCustomization", c -> c.config().scripts().finalizeCustomization());
  }

  @Override
  public String name() {
    return listName + " scripts";
  }

  @Override
  public Set<String> applies() {
    return Set.of("scripts." + listName);
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return !scripts.apply(context).isEmpty();
  }

  @Override
  public void run(CustomizeContext context) {
    List<Script> list = scripts.apply(context);
    try (AutoCloseable mounted =
        context.shell().bindReadOnly(context.loaded().baseDir(), CONFIG_MOUNT)) {
      for (int i = 0; i < list.size(); i++) {
        runOne(context, list.get(i), i);
      }
    } catch (ImageCustomizerException e) {
      throw e;
    } catch (Exception e) {
      throw new ImageCustomizerException(
          "cannot unmount the config folder from the image: " + e.getMessage(), null, e);
    }
  }

  private void runOne(CustomizeContext context, Script script, int index) {
    String label = label(script, index);
    String interpreter = script.interpreter() == null ? "/bin/sh" : script.interpreter();
    String file;
    String temporary = null;
    if (script.path() != null) {
      file = CONFIG_MOUNT + "/" + script.path();
    } else {
      temporary = "/tmp/imagecustomizer-" + listName + "-" + index + ".sh";
      context
          .root()
          .write(
              temporary,
              script.content().getBytes(StandardCharsets.UTF_8),
              PosixFilePermissions.fromString("rwx------"));
      file = temporary;
    }
    List<String> argv = new ArrayList<>(List.of(interpreter, file));
    argv.addAll(script.arguments());
    try {
      context.shell().run("run script " + label, argv, script.environmentVariables(), null);
    } finally {
      if (temporary != null) {
        context.root().delete(temporary);
      }
    }
  }

  private String label(Script script, int index) {
    if (script.name() != null && script.path() != null) {
      return script.name() + "(" + script.path() + ")";
    }
    if (script.name() != null) {
      return script.name();
    }
    return script.path() != null ? script.path() : listName + "[" + index + "]";
  }
}
