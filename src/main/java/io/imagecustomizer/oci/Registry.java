package io.imagecustomizer.oci;

import io.imagecustomizer.error.ImageCustomizerException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One OCI registry, spoken to over the distribution API: manifests and blobs, anonymously, with the
 * bearer token a registry hands out on a 401 (as upstream's oras-go does with no credentials).
 * HTTPS, except for a registry on this machine (localhost, 127.0.0.0/8, ::1), which container tools
 * treat as insecure by default; upstream has no plain-HTTP mode at all.
 */
public final class Registry {
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  private static final String ACCEPT =
      String.join(", ", OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST);
  private static final Pattern CHALLENGE_PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http;
  private final URI base;
  private final Map<String, String> tokens = new LinkedHashMap<>();

  Registry(HttpClient http, URI base) {
    this.http = http;
    this.base = base;
  }

  /** The registry named {@code host} ({@code host[:port]}). */
  public static Registry of(String host) {
    HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(30))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    return new Registry(http, URI.create((isLocal(host) ? "http://" : "https://") + host));
  }

  static boolean isLocal(String host) {
    String name = host.replaceFirst(":[0-9]+$", "");
    return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
  }

  /** A manifest as the registry served it: its media type, digest and parsed body. */
  public record Manifest(String mediaType, String digest, JsonNode body) {}

  /** GETs the manifest {@code reference} (a tag or digest) of {@code repository}. */
  public Manifest manifest(String repository, String reference) {
    HttpResponse<byte[]> response =
        send(
            repository,
            HttpRequest.newBuilder(url("/v2/" + repository + "/manifests/" + reference))
                .header("Accept", ACCEPT)
                .GET(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() == 404) {
      throw new ImageCustomizerException(
          "OCI artifact " + base.getAuthority() + "/" + repository + ":" + reference + " not found",
          "check the repository and tag; the registry has no such manifest");
    }
    expectOk(response, "manifest " + repository + ":" + reference);
    byte[] body = response.body();
    String digest = "sha256:" + sha256(body);
    if (reference.startsWith("sha256:") && !reference.equals(digest)) {
      throw new ImageCustomizerException(
          "the registry served manifest " + digest + " for " + reference,
          "the registry or something between is corrupting data");
    }
    String type =
        response.headers().firstValue("Content-Type").map(t -> t.split(";")[0].strip()).orElse("");
    JsonNode parsed = JSON.readTree(body);
    if (type.isEmpty() || type.equals("application/json")) {
      type = parsed.path("mediaType").asString("");
    }
    return new Manifest(type, digest, parsed);
  }

  /**
   * Downloads blob {@code digest} of {@code repository} to {@code target}, checking its size and
   * digest as it streams.
   */
  public void blob(String repository, String digest, long size, Path target) {
    HttpResponse<InputStream> response =
        send(
            repository,
            HttpRequest.newBuilder(url("/v2/" + repository + "/blobs/" + digest)).GET(),
            HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      expectOk(response, "blob " + digest);
      MessageDigest sha = sha256();
      long copied;
      try (DigestInputStream in = new DigestInputStream(body, sha);
          OutputStream out = Files.newOutputStream(target)) {
        copied = in.transferTo(out);
      }
      String got = "sha256:" + HexFormat.of().formatHex(sha.digest());
      if (copied != size || !got.equals(digest)) {
        throw new ImageCustomizerException(
            "blob " + digest + " arrived as " + copied + " bytes with digest " + got,
            "the download was cut short or corrupted; run again");
      }
    } catch (IOException e) {
      throw ImageCustomizerException.io("cannot download blob " + digest + " to " + target, e);
    }
  }

  private <T> HttpResponse<T> send(
      String repository, HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    try {
      String token = tokens.get(repository);
      HttpRequest.Builder authorized = request.copy();
      if (token != null) {
        authorized.header("Authorization", "Bearer " + token);
      }
      HttpResponse<T> response = http.send(authorized.build(), body);
      if (response.statusCode() == 401 && token == null) {
        Optional<String> challenge = response.headers().firstValue("WWW-Authenticate");
        if (challenge.isPresent() && challenge.get().startsWith("Bearer ")) {
          discard(response);
          tokens.put(repository, token(challenge.get(), repository));
          return send(repository, request, body);
        }
      }
      return response;
    } catch (IOException e) {
      throw new ImageCustomizerException(
          "cannot reach the OCI registry " + base + ": " + e.getMessage(),
          "check the registry name and this machine's network");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ImageCustomizerException("interrupted while talking to " + base);
    }
  }

  /** An anonymous pull token from the realm the registry's challenge names. */
  private String token(String challenge, String repository)
      throws IOException, InterruptedException {
    Map<String, String> params = new LinkedHashMap<>();
    Matcher param = CHALLENGE_PARAM.matcher(challenge);
    while (param.find()) {
      params.put(param.group(1), param.group(2));
    }
    String realm = params.get("realm");
    if (realm == null) {
      throw new ImageCustomizerException(
          "the OCI registry " + base + " asks for a token but names no realm");
    }
    String scope = params.getOrDefault("scope", "repository:" + repository + ":pull");
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?');
    if (params.containsKey("service")) {
      url.append("service=").append(encode(params.get("service"))).append('&');
    }
    url.append("scope=").append(encode(scope));
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url.toString())).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new ImageCustomizerException(
          "the OCI registry "
              + base
              + " refused an anonymous token (HTTP "
              + response.statusCode()
              + ")",
          "this version pulls public artifacts only");
    }
    JsonNode json = JSON.readTree(response.body());
    String token = json.path("token").asString(json.path("access_token").asString(""));
    if (token.isEmpty()) {
      throw new ImageCustomizerException("the OCI registry's token service returned no token");
    }
    return token;
  }

  private void expectOk(HttpResponse<?> response, String what) {
    if (response.statusCode() != 200) {
      throw new ImageCustomizerException(
          "the OCI registry " + base + " answered HTTP " + response.statusCode() + " for " + what,
          response.statusCode() == 401 || response.statusCode() == 403
              ? "this version pulls public artifacts only"
              : "check the reference and the registry");
    }
  }

  private static void discard(HttpResponse<?> response) throws IOException {
    if (response.body() instanceof InputStream stream) {
      stream.close();
    }
  }

  private URI url(String path) {
    return base.resolve(path);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }
}
