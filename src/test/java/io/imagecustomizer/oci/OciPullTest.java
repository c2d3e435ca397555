package io.imagecustomizer.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.imagecustomizer.config.OciReference;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pull against a registry served in the test: token challenge, index, manifest, blob. */
class OciPullTest {
  private static final byte[] DISK = "a disk image, in a test".getBytes(StandardCharsets.UTF_8);
  private static final OciPull.Platform AMD64 = new OciPull.Platform("linux", "amd64");

  @TempDir Path cache;
  private HttpServer server;
  private final Map<String, byte[]> served = new HashMap<>();
  private final Map<String, String> types = new HashMap<>();
  private final List<String> requests = new ArrayList<>();
  private Registry registry;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::token);
    server.createContext("/v2/", this::v2);
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    registry = new Registry(HttpClient.newHttpClient(), base);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void pullsTheImageLayerForThePlatformOnceAndThenUsesTheCache() {
    String blob = put("blob", DISK, "application/octet-stream");
    String manifest = put("manifest", manifest(blob, "image.vhdx"), Registry.OCI_MANIFEST);
    String other = put("other", manifest(blob, "other.vhdx"), Registry.OCI_MANIFEST);
    served.put("/v2/images/base/manifests/v1", index(other, "arm64", manifest, "amd64"));
    types.put("/v2/images/base/manifests/v1", Registry.OCI_INDEX);

    Path first =
        OciPull.pull(registry, OciReference.parse("127.0.0.1:1/images/base:v1"), AMD64, cache);
    Path second =
        OciPull.pull(registry, OciReference.parse("127.0.0.1:1/images/base:v1"), AMD64, cache);

    assertThat(first)
        .isEqualTo(cache.resolve("digests/sha256/" + manifest.substring(7) + "/image.vhdx"))
        .hasBinaryContent(DISK)
        .isEqualTo(second);
    assertThat(requests.stream().filter(r -> r.contains("/blobs/"))).hasSize(1);
    assertThat(requests).contains("token");
    assertThat(cache.resolve("digests/sha256")).isDirectoryNotContaining("glob:**.tmp*");
  }

  @Test
  void saysWhichPlatformsAnIndexHasAndRefusesWhatIsNotOneImage() {
    String blob = put("blob", DISK, "application/octet-stream");
    String arm = put("arm", manifest(blob, "image.vhdx"), Registry.OCI_MANIFEST);
    served.put("/v2/images/base/manifests/v1", index(arm, "arm64"));
    types.put("/v2/images/base/manifests/v1", Registry.OCI_INDEX);
    served.put("/v2/images/base/manifests/none", manifest(blob, "README.md"));
    types.put("/v2/images/base/manifests/none", Registry.OCI_MANIFEST);
    served.put(
        "/v2/images/base/manifests/two",
        ("{\"layers\": [" + layer(blob, "a.vhdx") + "," + layer(blob, "b.qcow2") + "]}")
            .getBytes(StandardCharsets.UTF_8));
    types.put("/v2/images/base/manifests/two", Registry.OCI_MANIFEST);

    assertThatThrownBy(() -> pull("v1"))
        .hasMessageContaining("has no manifest for platform linux/amd64 (it has [linux/arm64])");
    assertThatThrownBy(() -> pull("none"))
        .hasMessageContaining("no image files (*.vhdx, *.vhd, *.qcow2, *.img, *.raw) found");
    assertThatThrownBy(() -> pull("two")).hasMessageContaining("too many image files");
    assertThatThrownBy(() -> pull("missing")).hasMessageContaining("not found");
  }

  @Test
  void refusesABlobWhoseDigestDoesNotMatch() {
    String blob = put("blob", DISK, "application/octet-stream");
    served.put("/v2/images/base/blobs/" + blob, "tampered".getBytes(StandardCharsets.UTF_8));
    served.put("/v2/images/base/manifests/v1", manifest(blob, "image.raw"));
    types.put("/v2/images/base/manifests/v1", Registry.OCI_MANIFEST);

    assertThatThrownBy(() -> pull("v1")).hasMessageContaining("arrived as 8 bytes with digest");
    assertThat(cache.resolve("digests/sha256")).isEmptyDirectory();
  }

  @Test
  void talksPlainHttpOnlyToThisMachine() {
    assertThat(Registry.isLocal("localhost:5000")).isTrue();
    assertThat(Registry.isLocal("127.0.0.1:5000")).isTrue();
    assertThat(Registry.isLocal("mcr.microsoft.com")).isFalse();
    assertThat(Registry.isLocal("localhost.example.com")).isFalse();
  }

  private Path pull(String tag) {
    return OciPull.pull(
        registry, OciReference.parse("127.0.0.1:1/images/base:" + tag), AMD64, cache);
  }

  /** Serves {@code body} as a blob and a manifest by its digest; returns the digest. */
  private String put(String name, byte[] body, String type) {
    String digest = "sha256:" + Registry.sha256(body);
    served.put("/v2/images/base/blobs/" + digest, body);
    served.put("/v2/images/base/manifests/" + digest, body);
    types.put("/v2/images/base/manifests/" + digest, type);
    return digest;
  }

  private static String layer(String digest, String title) {
    return "{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar\", \"digest\": \""
        + digest
        + "\", \"size\": "
        + DISK.length
        + ", \"annotations\": {\"org.opencontainers.image.title\": \""
        + title
        + "\"}}";
  }

  private static byte[] manifest(String blob, String title) {
    return ("{\"schemaVersion\": 2, \"layers\": [" + layer(blob, title) + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** An index of (digest, architecture) pairs. */
  private static byte[] index(String... entries) {
    List<String> manifests = new ArrayList<>();
    for (int i = 0; i < entries.length; i += 2) {
      manifests.add(
          "{\"digest\": \""
              + entries[i]
              + "\", \"platform\": {\"os\": \"linux\", \"architecture\": \""
              + entries[i + 1]
              + "\"}}");
    }
    return ("{\"schemaVersion\": 2, \"manifests\": [" + String.join(",", manifests) + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private void token(HttpExchange exchange) throws IOException {
    requests.add("token");
    respond(exchange, 200, "{\"token\": \"t0ken\"}".getBytes(StandardCharsets.UTF_8), null);
  }

  private void v2(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(path);
    if (!"Bearer t0ken".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      exchange
          .getResponseHeaders()
          .add(
              "WWW-Authenticate",
              "Bearer realm=\"http://127.0.0.1:"
                  + server.getAddress().getPort()
                  + "/token\",service=\"test\",scope=\"repository:images/base:pull\"");
      respond(exchange, 401, new byte[0], null);
      return;
    }
    byte[] body = served.get(path);
    respond(exchange, body == null ? 404 : 200, body == null ? new byte[0] : body, types.get(path));
  }

  private static void respond(HttpExchange exchange, int status, byte[] body, String type)
      throws IOException {
    if (type != null) {
      exchange.getResponseHeaders().add("Content-Type", type);
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
    exchange.close();
  }
}
