package io.imagecustomizer.liveos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.imagecustomizer.config.InitramfsType;
import io.imagecustomizer.error.ImageCustomizerException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SavedConfigTest {
  @Test
  void argumentsSurviveTheRoundTripQuotesIncluded() {
    List<String> args = List.of("ds=nocloud", "x='a b'", "console=ttyS0,115200");

    assertThat(SavedConfig.extraArgs(SavedConfig.render(args), "saved")).isEqualTo(args);
    assertThat(SavedConfig.extraArgs(SavedConfig.render(List.of()), "saved")).isEmpty();
  }

  @Test
  void writesUpstreamsShape() {
    assertThat(SavedConfig.render(List.of("a=1")))
        .isEqualTo("liveos:\n  kernelCommandLine:\n    extraCommandLine:\n    - 'a=1'\n");
  }

  @Test
  void readsUpstreamsFileWithItsOtherSections() {
    String upstream =
        """
        liveos:
          kdumpBootFiles: null
          kernelCommandLine:
            extraCommandLine: [rd.info]
        pxe: {}
        os:
          selinuxRequestedMode: ""
        """;

    assertThat(SavedConfig.extraArgs(upstream, "saved")).containsExactly("rd.info");
    assertThat(SavedConfig.extraArgs("liveos:\n", "saved")).isEmpty();
  }

  @Test
  void damagedFileNamesWhereAndWhat() {
    assertThatThrownBy(
            () ->
                SavedConfig.extraArgs(
                    "liveos:\n  kernelCommandLine:\n    extraCommandLine: rd.info\n",
                    "x.iso:/azl-image-customizer/saved-configs.yaml"))
        .isInstanceOf(ImageCustomizerException.class)
        .hasMessageContaining("x.iso:/azl-image-customizer/saved-configs.yaml is damaged")
        .hasMessageContaining("extraCommandLine is not a list");
    assertThatThrownBy(() -> SavedConfig.extraArgs("liveos: [1", "s"))
        .hasMessageContaining("s is damaged: not valid YAML");
  }

  @Test
  void earlierArgumentsComeFirstAndNeverTwice() {
    LiveMedia media =
        new LiveMedia(InitramfsType.BOOTSTRAP, List.of(), List.of(), null, true)
            .afterEarlierArgs(List.of("ds=nocloud", "a=1"));
    LiveMedia again =
        new LiveMedia(InitramfsType.BOOTSTRAP, List.of("a=1", "b=2"), List.of(), null, true)
            .afterEarlierArgs(media.extraArgs());

    assertThat(again.extraArgs()).containsExactly("ds=nocloud", "a=1", "b=2");
  }
}
