package io.imagecustomizer.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.SystemProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** Host programs the integration tests run themselves, as a user or a signing service would. */
public final class HostCommand {
  private HostCommand() {}

  /** Runs {@code argv} in {@code dir}; it must succeed. Returns its stdout and stderr. */
  public static String run(Path dir, String... argv) {
    ProcessResult result =
        new SystemProcessRunner()
            .runAllowingFailure(new Command(List.of(argv), Map.of(), dir, null, null, false));
    assertThat(result.exitCode()).as(String.join(" ", argv) + ": " + result.stderr()).isZero();
    return result.stdout() + result.stderr();
  }

  /** Signs a PE file in place with {@code key} and {@code cert} ({@code sbsign}). */
  public static void sign(Path dir, Path key, Path cert, Path file) throws IOException {
    Path signed = dir.resolve("signed.efi");
    run(
        dir,
        "sbsign",
        "--key",
        key.toString(),
        "--cert",
        cert.toString(),
        "--output",
        signed.toString(),
        file.toString());
    Files.move(signed, file, StandardCopyOption.REPLACE_EXISTING);
  }
}
