package io.imagecustomizer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.imagecustomizer.process.Command;
import io.imagecustomizer.process.ProcessResult;
import io.imagecustomizer.process.SystemProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class ManPageTest {
  private final CommandLine root = new CommandLine(new RootCommand());

  @Test
  void pageDocumentsEverySubcommandAndOption() {
    String page = ManPage.render(root);

    assertThat(page).startsWith(".TH IMAGECUSTOMIZER 1 ");
    root.getSubcommands()
        .forEach(
            (name, sub) -> {
              assertThat(page).contains(".SS " + name + "\n");
              for (OptionSpec option : sub.getCommandSpec().options()) {
                assertThat(page).contains("\\fB" + ManPage.text(option.longestName()) + "\\fR");
              }
            });
  }

  @Test
  void manRendersTheWrittenPageWithoutWarnings(@TempDir Path dir) throws IOException {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "needs groff (groff-base)");
    Path file = dir.resolve("man/imagecustomizer.1");
    ManPage.main(new String[] {file.toString()});

    // groff's own checks: -ww warns of every bad request or escape.
    ProcessResult result =
        new SystemProcessRunner()
            .run(Command.of("groff", "-man", "-Tutf8", "-ww", "-z", file.toString()));

    assertThat(result.stderr()).isEmpty();
  }
}
