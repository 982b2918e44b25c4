package io.photoapp.jwt.cli;

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
    CommandLine cli = new CommandLine(new Main())
        .setDefaultValueProvider(new EnvironmentDefaults())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 2;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
