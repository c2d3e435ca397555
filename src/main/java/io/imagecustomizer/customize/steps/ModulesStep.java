package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.Module;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code os.modules}: loads at boot through /etc/modules-load.d/modules-load.conf, blacklists in
 * /etc/modprobe.d/modules-disabled.conf, options in /etc/modprobe.d/module-options.conf (the files
 * upstream documents).
 */
public final class ModulesStep implements Step {
  static final String LOAD = "/etc/modules-load.d/modules-load.conf";
  static final String DISABLED = "/etc/modprobe.d/modules-disabled.conf";
  static final String OPTIONS = "/etc/modprobe.d/module-options.conf";

  @Override
  public String name() {
    return "kernel modules";
  }

  @Override
  public Set<String> applies() {
    return Set.of("os.modules");
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(os -> !os.modules().isEmpty()).orElse(false);
  }

  @Override
  public void run(CustomizeContext context) {
    ImageRoot root = context.root();
    List<String> load = lines(root, LOAD);
    List<String> disabled = lines(root, DISABLED);
    List<String> options = lines(root, OPTIONS);
    for (Module module : context.os().orElseThrow().modules()) {
      String name = module.name();
      String blacklist = "blacklist " + name;
      Module.LoadMode mode =
          module.loadMode() == null ? Module.LoadMode.INHERIT : module.loadMode();
      switch (mode) {
        case ALWAYS -> {
          disabled.remove(blacklist);
          if (!load.contains(name)) {
            load.add(name);
          }
        }
        case AUTO -> disabled.remove(blacklist);
        case DISABLE -> {
          load.remove(name);
          if (!disabled.contains(blacklist)) {
            disabled.add(blacklist);
          }
        }
        case INHERIT -> {}
      }
      if (!module.options().isEmpty()) {
        if (disabled.contains(blacklist)) {
          throw new ImageCustomizerException(
              "os.modules: module " + name + " is disabled in the image but has options",
              "set its loadMode to always or auto, or drop the options");
        }
        setOptions(options, name, module.options());
      }
    }
    write(root, LOAD, load);
    write(root, DISABLED, disabled);
    write(root, OPTIONS, options);
  }

  private static void setOptions(List<String> lines, String module, Map<String, String> added) {
    String prefix = "options " + module + " ";
    Map<String, String> merged = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.startsWith(prefix)) {
        for (String pair : line.substring(prefix.length()).trim().split("\\s+")) {
          int eq = pair.indexOf('=');
          merged.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
        }
      }
    }
    lines.removeIf(line -> line.startsWith(prefix));
    merged.putAll(added);
    StringBuilder line = new StringBuilder("options ").append(module);
    merged.forEach((k, v) -> line.append(' ').append(k).append(v.isEmpty() ? "" : "=" + v));
    lines.add(line.toString());
  }

  private static List<String> lines(ImageRoot root, String path) {
    if (!root.exists(path)) {
      return new ArrayList<>();
    }
    return new ArrayList<>(root.readString(path).lines().toList());
  }

  private static void write(ImageRoot root, String path, List<String> lines) {
    if (lines.isEmpty() && !root.exists(path)) {
      return;
    }
    String text = lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    root.write(path, text.getBytes(StandardCharsets.UTF_8), null);
  }
}
