package io.photoapp.jwt.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a bash (and zsh, through bashcompinit) completion script for the command line, made by picocli's AutoComplete. */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = {"Print a bash completion script (zsh: after autoload -U +X bashcompinit && bashcompinit).",
        "%n  source <(java -jar jwt-secret-operator.jar completion)%n"
            + "  source <(kubectl-jwt completion --name kubectl-jwt)%n"})
final class CompletionCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--name", paramLabel = "COMMAND", description = "The command the script completes (default: jwt-secret-operator).")
  String name = "jwt-secret-operator";

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    spec.commandLine().getOut().print(AutoComplete.bash(name, root));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
