package io.imagecustomizer.customize.steps;

import io.imagecustomizer.config.Os;
import io.imagecustomizer.customize.CustomizeContext;
import io.imagecustomizer.customize.Step;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.image.ImageRoot;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Appends this run to the image's history, {@value #PATH}, as upstream does: a JSON array with one
 * entry per customization (time, tool version, image id, and the config named on the command line
 * as {@link HistoryConfig} records it), so an image tells how it was made. {@code os.imageHistory:
 * none} turns it off.
 */
public final class ImageHistoryStep implements Step {
  static final String PATH = "/usr/share/image-customizer/history.json";

  @Override
  public String name() {
    return "image history";
  }

  @Override
  public Set<String> applies() {
    // The hash fields are upstream's hidden ones: this step writes them, computed afresh.
    return Set.of(
        "os.imageHistory",
        "os.additionalFiles[].sha256hash",
        "os.additionalDirs[].sha256hashmap",
        "iso.additionalFiles[].sha256hash",
        "pxe.additionalFiles[].sha256hash",
        "scripts.postCustomization[].sha256hash",
        "scripts.finalizeCustomization[].sha256hash");
  }

  @Override
  public boolean perConfig() {
    return false;
  }

  @Override
  public boolean isNeeded(CustomizeContext context) {
    return context.os().map(Os::imageHistory).orElse(null) != Os.ImageHistory.NONE;
  }

  @Override
  public void run(CustomizeContext context) {
    ArrayNode history = existing(context.root());
    ObjectNode entry = history.addObject();
    entry.put("timestamp", ReleaseFileStep.UTC.format(context.buildTime()));
    entry.put("toolVersion", context.toolVersion());
    entry.put("imageUuid", context.imageUuid());
    entry.set("config", HistoryConfig.of(context.named()));
    context
        .root()
        .write(
            PATH,
            HistoryConfig.JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(history),
            null);
  }

  /** The entries of earlier customizations, or none. */
  private static ArrayNode existing(ImageRoot root) {
    if (!root.exists(PATH)) {
      return HistoryConfig.JSON.createArrayNode();
    }
    JsonNode read;
    try {
      read = HistoryConfig.JSON.readTree(root.readString(PATH));
    } catch (JacksonException e) {
      throw notAHistory(e);
    }
    if (read instanceof ArrayNode entries) {
      return entries;
    }
    throw notAHistory(null);
  }

  private static ImageCustomizerException notAHistory(@Nullable JacksonException cause) {
    return new ImageCustomizerException(
        "the image's history " + PATH + " is not a JSON array of entries",
        "remove that file from the image, or set os.imageHistory: none to leave it as it is",
        cause);
  }
}
