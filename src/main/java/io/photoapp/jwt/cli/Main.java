package io.photoapp.jwt.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one jar's entry point: {@code run}, {@code generate}, {@code demo} and the on-call commands. */
@Command(name = "jwt-secret-operator", mixinStandardHelpOptions = true, version = "jwt-secret-operator 0.1.0",
    description = "Generates, rotates and rolls out JWT signing keys in Kubernetes.",
    subcommands = {RunCommand.class, GenerateCommand.class, DemoCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:a check found problems", "2:bad arguments or an error"})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return commandLine(System.getenv()).execute(args);
  }

  /** The command line with option defaults taken from {@code env} ({@code JWT_OPERATOR_*}). */
  static CommandLine commandLine(Map<String, String> env) {
    return new CommandLine(new Main())
        .setDefaultValueProvider(new EnvironmentDefaults(env))
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 2;
        });
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
