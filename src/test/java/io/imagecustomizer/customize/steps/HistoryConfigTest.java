package io.imagecustomizer.customize.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.config.ConfigLoader;
import io.imagecustomizer.config.LoadedConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What the image history keeps of a config: hashes for files, no secrets. */
class HistoryConfigTest {
  @TempDir Path dir;

  private static String sha256(String text) throws NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private JsonNode record(String yaml) throws IOException {
    LoadedConfig loaded = ConfigLoader.load(Files.writeString(dir.resolve("config.yaml"), yaml));
    assertThat(loaded.problems()).isEmpty();
    return HistoryConfig.of(loaded);
  }

  @Test
  void passwordsAndSshKeysAreRedacted() throws IOException {
    JsonNode config =
        record(
            """
            os:
              users:
              - name: plain
                password:
                  type: plain-text
                  value: s3cret-plain
                sshPublicKeys: [ssh-ed25519 AAAAkey1 a@b, ssh-rsa AAAAkey2 c@d]
              - name: hashed
                password:
                  type: hashed
                  value: $6$salt$hashhashhash
              - name: fromfile
                password:
                  type: plain-text-file
                  value: secrets/pw.txt
              - name: locked
                password:
                  type: locked
            """);

    String text = config.toString();
    assertThat(text).doesNotContain("s3cret-plain", "hashhashhash", "AAAAkey1", "AAAAkey2");
    JsonNode users = config.path("os").path("users");
    assertThat(users.get(0).path("password").path("value").asString()).isEqualTo("[redacted]");
    assertThat(users.get(0).path("password").path("type").asString()).isEqualTo("plain-text");
    assertThat(users.get(0).path("sshPublicKeys").toString())
        .isEqualTo("[\"[redacted]\",\"[redacted]\"]");
    assertThat(users.get(1).path("password").path("value").asString()).isEqualTo("[redacted]");
    // A file's path is no secret, and upstream records it.
    assertThat(users.get(2).path("password").path("value").asString()).isEqualTo("secrets/pw.txt");
    assertThat(users.get(3).path("password").has("value")).isFalse();
  }

  @Test
  void filesAreRecordedByTheirHash() throws Exception {
    Files.writeString(dir.resolve("a.txt"), "from a file\n");
    Files.createDirectories(dir.resolve("tree/sub"));
    Files.writeString(dir.resolve("tree/top.conf"), "top\n");
    Files.writeString(dir.resolve("tree/sub/deep.conf"), "deep\n");
    Files.writeString(dir.resolve("setup.sh"), "echo hi\n");

    JsonNode config =
        record(
            """
            os:
              additionalFiles:
              - source: a.txt
                destination: /etc/a.txt
              - content: "token=inline-secret\\n"
                destination: /etc/app/token
                permissions: "600"
              additionalDirs:
              - source: tree
                destination: /etc/tree
            scripts:
              postCustomization:
              - path: setup.sh
              finalizeCustomization:
              - content: echo PASSWORD=x | chpasswd
            """);

    JsonNode files = config.path("os").path("additionalFiles");
    assertThat(files.get(0).path("source").asString()).isEqualTo("a.txt");
    assertThat(files.get(0).path("sha256hash").asString()).isEqualTo(sha256("from a file\n"));
    assertThat(files.get(1).has("content")).isFalse();
    assertThat(files.get(1).path("sha256hash").asString())
        .isEqualTo(sha256("token=inline-secret\n"));
    assertThat(files.get(1).path("permissions").asString()).isEqualTo("600");
    JsonNode hashes = config.path("os").path("additionalDirs").get(0).path("sha256hashmap");
    assertThat(hashes.path("top.conf").asString()).isEqualTo(sha256("top\n"));
    assertThat(hashes.path("sub/deep.conf").asString()).isEqualTo(sha256("deep\n"));
    assertThat(hashes.size()).isEqualTo(2);
    JsonNode scripts = config.path("scripts");
    assertThat(scripts.path("postCustomization").get(0).path("sha256hash").asString())
        .isEqualTo(sha256("echo hi\n"));
    assertThat(scripts.path("finalizeCustomization").get(0).path("sha256hash").asString())
        .isEqualTo(sha256("echo PASSWORD=x | chpasswd"));
    assertThat(config.toString()).doesNotContain("inline-secret", "chpasswd");
  }

  @Test
  void aHashGivenInTheConfigIsRecomputed() throws IOException {
    Files.writeString(dir.resolve("a.txt"), "now\n");

    JsonNode config =
        record(
            """
            os:
              additionalFiles:
              - source: a.txt
                destination: /a.txt
                sha256hash: 0000
            """);

    assertThat(config.path("os").path("additionalFiles").get(0).path("sha256hash").asString())
        .isEqualTo(HistoryConfig.sha256(dir.resolve("a.txt")));
  }

  @Test
  void unsetSectionsAreLeftOut() throws IOException {
    JsonNode config = record("os:\n  hostname: box\n");

    assertThat(config.toString()).isEqualTo("{\"os\":{\"hostname\":\"box\"}}");
  }
}
