package io.imagecustomizer.customize.steps;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import io.imagecustomizer.config.LoadedConfig;
import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A config as the image history records it, by upstream's rules: the files it names identified by
 * their SHA-256 ({@code sha256hash}, {@code sha256hashmap} for a folder's files), SSH public keys
 * replaced by {@code [redacted]}. Beyond upstream, nothing secret is copied into the image's
 * world-readable history: password values (plain text or hashed) are redacted, and inline file and
 * script contents are replaced by their hash, as a source file's are.
 */
final class HistoryConfig {
  static final String REDACTED = "[redacted]";

  /** Password types whose value is the secret itself; the file types' value is a host path. */
  private static final Set<String> SECRET_PASSWORDS = Set.of("plain-text", "hashed");

  /** The record components as upstream's JSON names them, unset and empty ones left out. */
  static final JsonMapper JSON =
      JsonMapper.builder()
          .changeDefaultVisibility(
              v ->
                  v.withVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
                      .withVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY))
          .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_EMPTY))
          .build();

  private final LoadedConfig loaded;

  private HistoryConfig(LoadedConfig loaded) {
    this.loaded = loaded;
  }

  /** {@code loaded}'s config as a history entry's {@code config}; files it names are read. */
  static ObjectNode of(LoadedConfig loaded) {
    ObjectNode tree = JSON.valueToTree(loaded.config());
    HistoryConfig history = new HistoryConfig(loaded);
    for (String section : List.of("os", "iso", "pxe")) {
      history.files(tree.path(section).path("additionalFiles"), "source");
    }
    history.files(tree.path("scripts").path("postCustomization"), "path");
    history.files(tree.path("scripts").path("finalizeCustomization"), "path");
    history.dirs(tree.path("os").path("additionalDirs"));
    history.users(tree.path("os").path("users"));
    prune(tree);
    return tree;
  }

  /** Each file's hash in {@code sha256hash}: of the file at {@code sourceField}, or of its text. */
  private void files(JsonNode list, String sourceField) {
    for (JsonNode node : list) {
      ObjectNode file = (ObjectNode) node;
      if (file.hasNonNull(sourceField)) {
        file.put("sha256hash", sha256(loaded.resolve(file.get(sourceField).asString())));
      } else if (file.hasNonNull("content")) {
        file.put("sha256hash", sha256(file.get("content").asString()));
        file.remove("content");
      }
    }
  }

  /** Each folder's files by their path under the folder, each with its hash. */
  private void dirs(JsonNode list) {
    for (JsonNode node : list) {
      ObjectNode dir = (ObjectNode) node;
      if (!dir.hasNonNull("source")) {
        continue;
      }
      Path source = loaded.resolve(dir.get("source").asString());
      TreeMap<String, String> hashes = new TreeMap<>();
      List<Path> files = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(source)) {
        walk.filter(f -> !Files.isDirectory(f)).forEach(files::add);
      } catch (IOException e) {
        throw ImageCustomizerException.io("cannot list " + source + " for the image history", e);
      }
      files.forEach(f -> hashes.put(source.relativize(f).toString(), sha256(f)));
      ObjectNode map = dir.putObject("sha256hashmap");
      hashes.forEach(map::put);
    }
  }

  private static void users(JsonNode list) {
    for (JsonNode node : list) {
      ObjectNode user = (ObjectNode) node;
      JsonNode keys = user.path("sshPublicKeys");
      if (keys.isArray()) {
        ArrayNode redacted = JSON.createArrayNode();
        keys.forEach(key -> redacted.add(REDACTED));
        user.set("sshPublicKeys", redacted);
      }
      JsonNode password = user.path("password");
      if (password.isObject()
          && password.hasNonNull("value")
          && SECRET_PASSWORDS.contains(password.path("type").asString(""))) {
        ((ObjectNode) password).put("value", REDACTED);
      }
    }
  }

  /** Drops objects left with no fields: the sections and settings a config does not set. */
  private static void prune(JsonNode node) {
    node.forEach(HistoryConfig::prune);
    if (node instanceof ObjectNode object) {
      List<String> empty = new ArrayList<>();
      object
          .properties()
          .forEach(
              field -> {
                if (field.getValue().isObject() && field.getValue().isEmpty()) {
                  empty.add(field.getKey());
                }
              });
      object.remove(empty);
    }
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = digest();
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot read " + file + " for the image history", e);
    }
  }

  private static String sha256(String text) {
    return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
