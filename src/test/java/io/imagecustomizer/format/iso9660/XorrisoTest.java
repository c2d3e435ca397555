package io.imagecustomizer.format.iso9660;

import static org.assertj.core.api.Assertions.assertThat;

import io.imagecustomizer.format.RecordingRunner;
import io.imagecustomizer.process.Command;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class XorrisoTest {
  private static final Path TREE = Path.of("/w/staging");

  @Test
  void withASourceDateEveryDateAndTheGptGuidsComeFromIt() {
    RecordingRunner runner = new RecordingRunner("");

    Xorriso.writeHybrid(
        runner,
        TREE,
        "CDROM",
        "boot/efiboot.img",
        null,
        Path.of("/w/out.iso"),
        Instant.ofEpochSecond(1_700_000_000));

    Command command = runner.commands().get(0);
    assertThat(String.join(" ", command.argv()))
        .contains(
            " --modification-date=2023111422132000 --set_all_file_dates 2023111422132000"
                + " --gpt_disk_guid modification-date /w/staging")
        .endsWith(" /w/staging");
    assertThat(command.environment()).containsEntry("SOURCE_DATE_EPOCH", "1700000000");
  }

  @Test
  void withoutOneXorrisoKeepsItsDefaults() {
    RecordingRunner runner = new RecordingRunner("");

    Xorriso.writeHybrid(
        runner, TREE, "CDROM", "boot/efiboot.img", null, Path.of("/w/out.iso"), null);

    Command command = runner.commands().get(0);
    assertThat(command.argv())
        .doesNotContain("--set_all_file_dates", "--gpt_disk_guid")
        .noneMatch(arg -> arg.startsWith("--modification-date"));
    assertThat(command.environment()).isEmpty();
  }
}
