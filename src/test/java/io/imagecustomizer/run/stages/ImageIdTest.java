package io.imagecustomizer.run.stages;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.config.ConfigChain;
import io.imagecustomizer.config.OutputFormat;
import io.imagecustomizer.config.RunSettings;
import io.imagecustomizer.config.SquashfsCompression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageIdTest {
  private static final Instant DATE = Instant.ofEpochSecond(1_700_000_000);

  @TempDir Path dir;

  @Test
  void withASourceDateTheSameInputsGiveTheSameIdAndAnyOtherInputAnother() throws IOException {
    Path image = Files.writeString(dir.resolve("base.raw"), "disk bytes");
    Path config = Files.writeString(dir.resolve("c.yaml"), "os:\n  hostname: one\n");
    String id = ImageId.of(settings(image, config, DATE));

    assertThat(ImageId.of(settings(image, config, DATE))).isEqualTo(id);
    assertThat(UUID.fromString(id).version()).isEqualTo(5);
    assertThat(ImageId.of(settings(image, config, DATE.plusSeconds(1)))).isNotEqualTo(id);
    Files.writeString(config, "os:\n  hostname: two\n");
    String otherConfig = ImageId.of(settings(image, config, DATE));
    Files.writeString(image, "other disk bytes");
    String otherImage = ImageId.of(settings(image, config, DATE));
    assertThat(List.of(otherConfig, otherImage)).doesNotContain(id).doesNotHaveDuplicates();
  }

  @Test
  void withoutOneEveryRunGetsANewId() throws IOException {
    Path image = Files.writeString(dir.resolve("base.raw"), "disk bytes");
    Path config = Files.writeString(dir.resolve("c.yaml"), "os:\n  hostname: one\n");

    assertThat(ImageId.of(settings(image, config, null)))
        .isNotEqualTo(ImageId.of(settings(image, config, null)));
  }

  private RunSettings settings(Path image, Path config, @Nullable Instant date) {
    return RunSettings.resolve(
        ConfigChain.load(config),
        new RunSettings.CommandLine(
            dir.resolve("build"),
            image,
            null,
            null,
            dir.resolve("out.iso"),
            OutputFormat.ISO,
            List.of(),
            false,
            null,
            SquashfsCompression.DEFAULT,
            null,
            date),
        pull -> {
          throw new AssertionError("no pull expected: " + pull);
        });
  }
}
