package io.imagecustomizer.run;

import io.imagecustomizer.customize.ToolVersion;
import io.imagecustomizer.error.ImageCustomizerException;
import io.imagecustomizer.progress.Progress;
import io.imagecustomizer.resource.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code --summary-json}: what one run built, for a pipeline to read instead of its log. The shape
 * is {@code docs/summary.schema.json}; a field is added there before it is written here.
 *
 * @param command the subcommand
 * @param exitCode the tool's exit code: 0 built, 1 failed, 2 bad usage or config
 * @param error the error printed, when the run failed
 * @param input the input image, when it could be read
 * @param configs the config file and its base configs, as far as they could be read
 * @param outputFormat the output format, once known
 * @param outputs the files written (each file of a pxe-dir folder)
 * @param stages the run's stages, in order, as the progress spans timed them
 * @param warnings every warning logged during the run
 */
public record RunSummary(
    String command,
    Instant startTime,
    Instant endTime,
    int exitCode,
    @Nullable String error,
    @Nullable Artifact input,
    List<Artifact> configs,
    @Nullable String outputFormat,
    List<Artifact> outputs,
    List<Stage> stages,
    List<String> warnings) {

  /** Version of this file's shape; raised when a field changes meaning or goes away. */
  public static final int SCHEMA_VERSION = 1;

  private static final JsonMapper JSON = JsonMapper.builder().build();

  public RunSummary {
    configs = List.copyOf(configs);
    outputs = List.copyOf(outputs);
    stages = List.copyOf(stages);
    warnings = List.copyOf(warnings);
  }

  /** One stage's time. */
  public record Stage(String name, double seconds, boolean succeeded) {}

  /** The stages of a run: the spans directly under the run's own span, in the order they ran. */
  public static List<Stage> stages(Progress progress) {
    return progress.finished().stream()
        .filter(span -> span.depth() == 1)
        .map(span -> new Stage(span.name(), span.seconds(), span.isSucceeded()))
        .toList();
  }

  /** {@code file} with its size and SHA-256, or null when it is not a readable file. */
  public static @Nullable Artifact describe(@Nullable Path file) {
    if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
      return null;
    }
    Path absolute = file.toAbsolutePath().normalize();
    try {
      return new Artifact(absolute, Files.size(absolute), Sha256.of(absolute));
    } catch (IOException | ImageCustomizerException e) {
      // The summary reports what it can; an unreadable input is already the run's own error.
      return null;
    }
  }

  /** The summary as JSON, fields in the schema's order. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("toolVersion", ToolVersion.get());
    root.put("command", command);
    root.put("startTime", DateTimeFormatter.ISO_INSTANT.format(startTime));
    root.put("endTime", DateTimeFormatter.ISO_INSTANT.format(endTime));
    root.put("seconds", seconds(Duration.between(startTime, endTime).toNanos() / 1e9));
    root.put("exitCode", exitCode);
    root.put("error", error);
    if (input == null) {
      root.putNull("input");
    } else {
      file(root.putObject("input"), input);
    }
    configs.forEach(config -> file(root.withArray("configs").addObject(), config));
    root.withArray("configs");
    root.put("outputFormat", outputFormat);
    ArrayNode files = root.putArray("outputs");
    outputs.forEach(output -> file(files.addObject(), output));
    ArrayNode times = root.putArray("stages");
    for (Stage stage : stages) {
      ObjectNode time = times.addObject();
      time.put("name", stage.name());
      time.put("seconds", seconds(stage.seconds()));
      time.put("succeeded", stage.succeeded());
    }
    ArrayNode logged = root.putArray("warnings");
    warnings.forEach(logged::add);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  /** Writes the summary to {@code file}: under a temporary name, renamed once complete. */
  public void write(Path file) {
    Path partial = Workspace.partial(file);
    try {
      Files.writeString(partial, toJson(), StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot write the summary " + file, e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        // Only a leftover temporary file; the summary's own error, if any, is the one to report.
      }
    }
  }

  private static void file(ObjectNode node, Artifact file) {
    node.put("path", file.path().toString());
    node.put("size", file.size());
    node.put("sha256", file.sha256());
  }

  /** Milliseconds are plenty for a stage, and keep the file readable. */
  private static double seconds(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
