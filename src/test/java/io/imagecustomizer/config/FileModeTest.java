package io.imagecustomizer.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class FileModeTest {
  @Test
  void readsThreeOrFourOctalDigits() {
    assertThat(FileMode.parse("644")).isEqualTo(new Parsed.Valid<>(new FileMode(0644)));
    assertThat(FileMode.parse("0755")).isEqualTo(new Parsed.Valid<>(new FileMode(0755)));
  }

  @Test
  void refusesOtherTextAndSpecialBits() {
    assertThat(FileMode.parse("rw-r--r--"))
        .isEqualTo(
            new Parsed.Invalid<>(
                "\"rw-r--r--\" is not an octal mode", "write e.g. \"644\" or \"0755\""));
    assertThat(FileMode.parse("4755"))
        .isEqualTo(
            new Parsed.Invalid<>(
                "\"4755\" contains non-permission bits",
                "setuid, setgid and sticky bits cannot be set here; use a script"));
  }

  @Test
  void givesPosixPermissionsWithAFallback() {
    assertThat(PosixFilePermissions.toString(FileMode.permissionsOf("0640", "755")))
        .isEqualTo("rw-r-----");
    assertThat(PosixFilePermissions.toString(FileMode.permissionsOf(null, "755")))
        .isEqualTo("rwxr-xr-x");
    assertThat(FileMode.permissionsOf(null, null)).isNull();
  }
}
