package io.imagecustomizer.cli;

import io.imagecustomizer.customize.ToolVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code imagecustomizer(1)}: the man page, in roff, written from the command line's own model (the
 * same one that parses and prints {@code --help}), so that no option is documented twice. The build
 * writes it to {@code target/man/imagecustomizer.1}.
 */
public final class ManPage {
  private ManPage() {}

  /** Writes the man page to the file named by the only argument; the build calls this. */
  public static void main(String[] args) throws IOException {
    Path file = Path.of(args[0]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, render(new CommandLine(new RootCommand())), StandardCharsets.UTF_8);
  }

  /** The page of {@code root} and all its subcommands. */
  static String render(CommandLine root) {
    CommandSpec spec = root.getCommandSpec();
    String name = spec.name();
    StringBuilder page = new StringBuilder();
    // No date: the same sources give the same page.
    page.append(".TH ")
        .append(name.toUpperCase(Locale.ROOT))
        .append(" 1 \"\" \"")
        .append(name)
        .append(' ')
        .append(ToolVersion.get())
        .append("\" \"User Commands\"\n");
    page.append(".SH NAME\n")
        .append(name)
        .append(" \\- ")
        .append(text(spec.usageMessage().description()[0]))
        .append('\n');
    page.append(".SH SYNOPSIS\n");
    for (CommandLine sub : subcommands(root)) {
      page.append(".B ")
          .append(name)
          .append(' ')
          .append(sub.getCommandName())
          .append("\n[\\fIOPTIONS\\fR]");
      for (PositionalParamSpec param : sub.getCommandSpec().positionalParameters()) {
        page.append(" \\fI").append(text(param.paramLabel())).append("\\fR");
      }
      page.append("\n.br\n");
    }
    page.append(".SH DESCRIPTION\n");
    paragraphs(page, spec.usageMessage().description());
    page.append(".SH GLOBAL OPTIONS\nAccepted before or after the subcommand.\n");
    options(page, spec, false);
    page.append(".SH COMMANDS\n");
    for (CommandLine sub : subcommands(root)) {
      CommandSpec command = sub.getCommandSpec();
      page.append(".SS ").append(sub.getCommandName()).append('\n');
      paragraphs(page, command.usageMessage().description());
      for (PositionalParamSpec param : command.positionalParameters()) {
        item(page, "\\fI" + text(param.paramLabel()) + "\\fR", param.description());
      }
      options(page, command, true);
    }
    page.append(".SH EXIT STATUS\n");
    item(page, "0", new String[] {"Success."});
    item(page, "1", new String[] {"The customization (or conversion) failed."});
    item(page, "2", new String[] {"Bad usage or a bad config; nothing was changed."});
    page.append(".SH FILES\n");
    item(
        page,
        "\\fIOUTPUT\\fR.sha256, \\fIFOLDER\\fR/SHA256SUMS",
        new String[] {
          "The SHA-256 of each output, beside a file or inside a pxe-dir folder, for"
              + " sha256sum -c."
        });
    page.append(".SH SEE ALSO\n\\fBsha256sum\\fR(1), \\fBqemu-img\\fR(1), \\fBxorriso\\fR(1)\n");
    return page.toString();
  }

  private static List<CommandLine> subcommands(CommandLine root) {
    // getSubcommands() lists a command under each of its aliases: keep each command once.
    return root.getSubcommands().values().stream().distinct().toList();
  }

  private static void options(StringBuilder page, CommandSpec command, boolean ownOnly) {
    for (OptionSpec option : command.options()) {
      if (option.hidden() || (ownOnly && option.inherited())) {
        continue;
      }
      StringBuilder names = new StringBuilder();
      for (String optionName : option.names()) {
        if (names.length() > 0) {
          names.append(", ");
        }
        names.append("\\fB").append(text(optionName)).append("\\fR");
      }
      if (option.arity().max() > 0) {
        names.append(" \\fI").append(text(option.paramLabel())).append("\\fR");
      }
      item(page, names.toString(), option.description());
    }
  }

  private static void item(StringBuilder page, String tag, String[] description) {
    page.append(".TP\n").append(tag).append('\n');
    for (int i = 0; i < description.length; i++) {
      if (i > 0) {
        page.append(".br\n");
      }
      page.append(line(description[i]));
    }
  }

  private static void paragraphs(StringBuilder page, String[] description) {
    for (String paragraph : description) {
      page.append(".PP\n").append(line(paragraph));
    }
  }

  /** One line of running text; one starting with a dot or quote would be a roff request. */
  private static String line(String text) {
    String escaped = text(text);
    return (escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" : "") + escaped + "\n";
  }

  /** Text with roff's escape character escaped, and hyphens that stay hyphens when copied. */
  static String text(String text) {
    return text.replace("\\", "\\e").replace("-", "\\-");
  }
}
