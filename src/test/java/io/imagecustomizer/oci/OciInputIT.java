package io.imagecustomizer.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.testing.BootHarness;
import io.imagecustomizer.testing.BootResult;
import io.imagecustomizer.testing.CliRun;
import io.imagecustomizer.testing.TestImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test image pushed, as oras pushes a file, to a registry this test starts on 127.0.0.1
 * (Debian's docker-registry, the CNCF distribution registry), then pulled by {@code --image oci:}
 * into the image cache, customized and booted; a second run naming it in {@code input.image.oci}
 * finds it in the cache and downloads nothing.
 */
class OciInputIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private Process registry;

  @BeforeAll
  static void needsTheTestImageAndARegistry() {
    assumeTrue(TestImages.canBuild(), "needs root and loop devices");
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/docker-registry")), "needs docker-registry");
  }

  @AfterEach
  void stopRegistry() {
    if (registry != null) {
      registry.destroy();
    }
  }

  @Test
  void anImagePulledFromARegistryIsCustomizedBootsAndIsCachedByDigest() throws Exception {
    int port = startRegistry();
    String repository = "http://127.0.0.1:" + port + "/v2/images/base";
    Path image = TestImages.base("qcow2");
    String layer = push(repository, image, "image.qcow2", "v1");
    Path cache = dir.resolve("cache");
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, "previewFeatures: [input-image-oci]\nos:\n  hostname: oci-box\n");

    CliRun first =
        CliRun.run(
            "--build-dir", dir.resolve("build").toString(),
            "--config-file", config.toString(),
            "--image", "oci:127.0.0.1:" + port + "/images/base:v1",
            "--image-cache-dir", cache.toString(),
            "--output-image-format", "raw",
            "--output-image-file", dir.resolve("first.raw").toString());
    assertThat(first.code()).as(first.err()).isZero();
    List<Path> cached;
    try (var files = Files.walk(cache.resolve("digests/sha256"))) {
      cached = files.filter(Files::isRegularFile).toList();
    }
    assertThat(cached).singleElement().satisfies(f -> assertThat(f).hasFileName("image.qcow2"));
    assertThat(TestImages.sha256(cached.get(0))).isEqualTo(TestImages.sha256(image));
    assertThat(blobGets(layer)).isEqualTo(1);

    Path fromConfig = dir.resolve("from-config.yaml");
    Files.writeString(
        fromConfig,
        "previewFeatures: [input-image-oci]\n"
            + "input:\n  image:\n    oci:\n      uri: 127.0.0.1:"
            + port
            + "/images/base:v1\n      platform: linux/amd64\n"
            + "os:\n  hostname: oci-box\n");
    Path output = dir.resolve("second.raw");
    CliRun second =
        CliRun.run(
            "--build-dir", dir.resolve("build").toString(),
            "--config-file", fromConfig.toString(),
            "--image-cache-dir", cache.toString(),
            "--output-image-format", "raw",
            "--output-image-file", output.toString());
    assertThat(second.code()).as(second.err()).isZero();
    assertThat(blobGets(layer)).as("the second run downloads nothing").isEqualTo(1);

    BootResult boot =
        BootHarness.boot("oci-input", new BootHarness.Disk(output, "raw"), Duration.ofMinutes(6));
    assertThat(boot.booted()).as(boot.toString()).isTrue();
    assertThat(boot.hostname()).isEqualTo("oci-box");
  }

  /** Starts docker-registry on a free port of 127.0.0.1, storing under the test's folder. */
  private int startRegistry() throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path config = dir.resolve("registry.yml");
    Files.writeString(
        config,
        "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n    rootdirectory: "
            + dir.resolve("registry")
            + "\nhttp:\n  addr: 127.0.0.1:"
            + port
            + "\n");
    registry =
        new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("registry.log").toFile())
            .start();
    for (int i = 0; i < 100; i++) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return port;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(
        "docker-registry did not start; see " + dir.resolve("registry.log"));
  }

  /** How many times the registry served blob {@code digest}, from its log. */
  private long blobGets(String digest) throws IOException {
    return Files.readAllLines(dir.resolve("registry.log")).stream()
        .filter(l -> l.contains("response completed"))
        .filter(l -> l.contains("http.request.method=GET"))
        .filter(l -> l.contains("/blobs/" + digest))
        .count();
  }

  /**
   * Pushes {@code file} as the one layer of an OCI manifest tagged {@code tag}, titled as oras
   * titles a pushed file; returns the layer's digest.
   */
  private static String push(String repository, Path file, String title, String tag)
      throws Exception {
    String layer = upload(repository, HttpRequest.BodyPublishers.ofFile(file), sha256(file));
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    String config =
        upload(repository, HttpRequest.BodyPublishers.ofByteArray(empty), sha256(empty));
    String manifest =
        "{\"schemaVersion\": 2, \"mediaType\": \"application/vnd.oci.image.manifest.v1+json\","
            + " \"artifactType\": \"application/vnd.imagecustomizer.test.disk\","
            + " \"config\": {\"mediaType\": \"application/vnd.oci.empty.v1+json\", \"digest\": \""
            + config
            + "\", \"size\": 2}, \"layers\": [{\"mediaType\":"
            + " \"application/vnd.oci.image.layer.v1.tar\", \"digest\": \""
            + layer
            + "\", \"size\": "
            + Files.size(file)
            + ", \"annotations\": {\"org.opencontainers.image.title\": \""
            + title
            + "\"}}]}";
    HttpResponse<String> put =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(repository + "/manifests/" + tag))
                .header("Content-Type", "application/vnd.oci.image.manifest.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(manifest))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    return layer;
  }

  /** A monolithic blob upload; returns the blob's digest. */
  private static String upload(String repository, HttpRequest.BodyPublisher body, String digest)
      throws Exception {
    HttpResponse<String> start =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(start.statusCode()).as(start.body()).isEqualTo(202);
    String location = start.headers().firstValue("Location").orElseThrow();
    URI target =
        URI.create(repository)
            .resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
    HttpResponse<String> put =
        HTTP.send(
            HttpRequest.newBuilder(target)
                .header("Content-Type", "application/octet-stream")
                .PUT(body)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
    return digest;
  }

  private static String sha256(Path file) {
    return "sha256:" + TestImages.sha256(file);
  }

  private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
    return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
