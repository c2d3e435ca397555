package io.imagecustomizer.config;

import io.imagecustomizer.config.yaml.LegacyTranslator;
import io.imagecustomizer.config.yaml.Problem;
import io.imagecustomizer.config.yaml.SchemaWalker;
import io.imagecustomizer.config.yaml.YNode;
import io.imagecustomizer.config.yaml.YamlReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a config file: YAML (or JSON) text, older schemas translated, checked field by field
 * against the records, then bound to {@link Config}.
 */
public final class ConfigLoader {
  private static final JsonMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private ConfigLoader() {}

  public static LoadedConfig load(Path file) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
    } catch (NoSuchFileException e) {
      throw fileProblem(file, "file not found", "check the --config-file path");
    } catch (CharacterCodingException e) {
      throw fileProblem(file, "not a UTF-8 text file", "a config file is YAML text");
    } catch (IOException e) {
      throw fileProblem(file, "cannot read the file: " + e.getMessage(), null);
    }
    return parse(text, file);
  }

  /** Reads config text as if it came from {@code file} (used for positions and relative paths). */
  public static LoadedConfig parse(String text, Path file) {
    YamlReader.Result read = YamlReader.read(text, file.toString());
    if (read instanceof YamlReader.Failed failed) {
      throw new ConfigException(file, List.of(failed.problem()));
    }
    YNode root = ((YamlReader.Parsed) read).root();
    LegacyTranslator legacy = new LegacyTranslator();
    YNode current = legacy.translate(root);
    SchemaWalker walker = new SchemaWalker();
    JsonNode tree = walker.walk(current, Config.class);
    Config config =
        tree.isNull()
            ? new Config(null, null, null, null, null, null, null, null, null)
            : MAPPER.treeToValue(tree, Config.class);
    return new LoadedConfig(file, config, walker.positions(), walker.problems(), legacy.warnings());
  }

  /** Reads a package list file ({@code packages: [...]}) named by {@code os.packages.*Lists}. */
  public static PackageList loadPackageList(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw fileProblem(file, "cannot read the package list: " + e.getMessage(), null);
    }
    SchemaWalker walker = new SchemaWalker();
    JsonNode tree = walk(walker, text, file, PackageList.class);
    if (!walker.problems().isEmpty()) {
      throw new ConfigException(file, walker.problems());
    }
    return MAPPER.treeToValue(tree, PackageList.class);
  }

  /**
   * Reads an inject-files config and checks it by upstream's rules, every problem with its place.
   */
  public static InjectFilesConfig loadInjectFiles(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw fileProblem(file, "file not found", "check the --config-file path");
    } catch (IOException e) {
      throw fileProblem(file, "cannot read the inject-files config: " + e.getMessage(), null);
    }
    SchemaWalker walker = new SchemaWalker();
    JsonNode tree = walk(walker, text, file, InjectFilesConfig.class);
    InjectFilesConfig config =
        tree.isNull()
            ? new InjectFilesConfig(null, null)
            : MAPPER.treeToValue(tree, InjectFilesConfig.class);
    Problems problems = new Problems(walker.positions(), walker.problems());
    if (walker.problems().isEmpty()) {
      new InjectFilesRules(problems).check(config);
    }
    problems.throwIfAny(file);
    return config;
  }

  private static JsonNode walk(SchemaWalker walker, String text, Path file, Class<?> type) {
    YamlReader.Result read = YamlReader.read(text, file.toString());
    if (read instanceof YamlReader.Failed failed) {
      throw new ConfigException(file, List.of(failed.problem()));
    }
    return walker.walk(((YamlReader.Parsed) read).root(), type);
  }

  private static ConfigException fileProblem(Path file, String message, String hint) {
    return new ConfigException(file, List.of(new Problem("", null, message, hint)));
  }
}
