package io.imagecustomizer.cli;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code completion bash|zsh}: prints a shell completion script for every subcommand and option,
 * generated from the command line's own model so it cannot fall behind.
 */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Prints a shell completion script: bash, or zsh (the bash script through zsh's"
          + " bashcompinit).",
      "bash: source <(imagecustomizer completion bash), or save it in"
          + " /etc/bash_completion.d/imagecustomizer.",
      "zsh: source <(imagecustomizer completion zsh) in ~/.zshrc."
    })
final class CompletionCommand implements Callable<Integer> {
  /** What zsh runs first so that it can use a bash completion script. */
  static final String ZSH_PRELUDE =
      "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n";

  @Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "SHELL",
      completionCandidates = Shells.class,
      description = "bash or zsh.")
  String shell;

  @Override
  public Integer call() {
    String bash = script(spec.root().commandLine());
    String script =
        switch (shell) {
          case "bash" -> bash;
          case "zsh" -> ZSH_PRELUDE + bash;
          default ->
              throw new UsageException("completion is for bash or zsh, not \"" + shell + "\"");
        };
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The bash completion script of {@code root} and all its subcommands. */
  static String script(CommandLine root) {
    return AutoComplete.bash(root.getCommandName(), root);
  }

  /** The shells offered when completing {@code completion}'s own argument. */
  static final class Shells implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return List.of("bash", "zsh").iterator();
    }
  }
}
