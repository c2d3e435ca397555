package io.imagecustomizer.liveos;

import io.imagecustomizer.config.yaml.YNode;
import io.imagecustomizer.config.yaml.YamlReader;
import io.imagecustomizer.error.ImageCustomizerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Live OS settings written onto the media at upstream's place and in upstream's shape ({@code
 * /azl-image-customizer/saved-configs.yaml}, {@code liveos.kernelCommandLine.extraCommandLine}), so
 * that a later run taking this ISO as input knows which kernel arguments earlier runs asked for.
 * The initramfs type is not saved: the media tells it (a squashfs means bootstrap).
 */
public final class SavedConfig {
  /** Where the file sits on the media and in PXE artifacts. */
  public static final String PATH = "azl-image-customizer/saved-configs.yaml";

  private SavedConfig() {}

  static String render(List<String> extraArgs) {
    StringBuilder yaml = new StringBuilder("liveos:\n  kernelCommandLine:\n    extraCommandLine:");
    if (extraArgs.isEmpty()) {
      yaml.append(" []\n");
    } else {
      yaml.append('\n');
      for (String arg : extraArgs) {
        yaml.append("    - '").append(arg.replace("'", "''")).append("'\n");
      }
    }
    return yaml.toString();
  }

  /**
   * The extra kernel arguments a saved-configs.yaml records.
   *
   * @param name where the text came from, for error messages
   */
  static List<String> extraArgs(String text, String name) {
    YamlReader.Result result = YamlReader.read(text, name);
    if (result instanceof YamlReader.Failed failed) {
      throw broken(name, failed.problem().message());
    }
    YNode root = ((YamlReader.Parsed) result).root();
    Optional<YNode> args =
        child(root, "liveos", name)
            .flatMap(liveos -> child(liveos, "kernelCommandLine", name))
            .flatMap(cmdline -> child(cmdline, "extraCommandLine", name));
    if (args.isEmpty() || args.get() instanceof YNode.Scalar scalar && scalar.isNull()) {
      return List.of();
    }
    if (!(args.get() instanceof YNode.Sequence sequence)) {
      throw broken(name, "liveos.kernelCommandLine.extraCommandLine is not a list");
    }
    List<String> values = new ArrayList<>();
    for (YNode item : sequence.items()) {
      if (!(item instanceof YNode.Scalar scalar) || scalar.isNull()) {
        throw broken(name, "liveos.kernelCommandLine.extraCommandLine holds " + item.kind());
      }
      values.add(scalar.text());
    }
    return values;
  }

  private static Optional<YNode> child(YNode node, String key, String name) {
    if (node instanceof YNode.Scalar scalar && scalar.isNull()) {
      return Optional.empty();
    }
    if (!(node instanceof YNode.Mapping mapping)) {
      throw broken(name, "expected a mapping above '" + key + "', found " + node.kind());
    }
    return mapping.entry(key).map(YNode.Entry::value);
  }

  private static ImageCustomizerException broken(String name, String why) {
    return new ImageCustomizerException(
        name + " is damaged: " + why,
        "the ISO's saved config was edited by hand; rebuild the ISO from its disk image");
  }
}
