package io.photoapp.jwt.cli;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one jar's entry point: {@code run}, {@code generate}, {@code demo} and the on-call commands. */
@Command(name = "jwt-secret-operator", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Generates, rotates and rolls out JWT signing keys in Kubernetes.",
    subcommands = {RunCommand.class, GenerateCommand.class, DemoCommand.class, RotateCommand.class, StatusCommand.class,
        AuditCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:a check found problems, or a rotation did not complete in time",
        "2:bad arguments or an error"})
public final class Main implements Runnable {
  /** Commands for people on call; they take nothing from JWT_OPERATOR_* (--yes or --all must never come from there). */
  static final List<String> ON_CALL = List.of("rotate", "status", "audit");

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Library warnings go to stderr, so that stdout holds only what a command prints (-o json stays parseable).
    // run and demo set their own logging.
    Logging.configure(Level.WARN, false, true);
    // Before any kubeconfig is read: else reading it scans the class path for every model class.
    io.photoapp.jwt.kube.OperatorSerialization.untypedKubeconfigExtensions();
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return execute(OnCallEnvironment.production(), null, null, args);
  }

  /** With the clock, stdin and output the tests choose; null writers keep picocli's (System.out, System.err). */
  static int execute(OnCallEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(environment, System.getenv());
    if (out != null) {
      cli.setOut(out);
    }
    if (err != null) {
      cli.setErr(err);
    }
    return cli.execute(args);
  }

  /** The command line with option defaults taken from {@code env} ({@code JWT_OPERATOR_*}). */
  static CommandLine commandLine(Map<String, String> env) {
    return commandLine(OnCallEnvironment.production(), env);
  }

  static CommandLine commandLine(OnCallEnvironment environment, Map<String, String> env) {
    CommandLine cli = new CommandLine(new Main(), new Factory(environment))
        .setDefaultValueProvider(new EnvironmentDefaults(env))
        .setParameterExceptionHandler(Main::badArguments)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + CliErrors.describe(e));
          cmd.getErr().flush();
          return 2;
        });
    ON_CALL.forEach(name -> cli.getSubcommands().get(name).setDefaultValueProvider(null));
    cli.getSubcommands().get("completion").setDefaultValueProvider(null);
    return cli;
  }

  private static int badArguments(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    cmd.getErr().println("error: " + e.getMessage() + " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)");
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Builds the on-call commands with the environment; everything else as picocli does. */
  private record Factory(OnCallEnvironment environment) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == RotateCommand.class) {
        return type.cast(new RotateCommand(environment));
      }
      if (type == StatusCommand.class) {
        return type.cast(new StatusCommand(environment));
      }
      if (type == AuditCommand.class) {
        return type.cast(new AuditCommand(environment));
      }
      return CommandLine.defaultFactory().create(type);
    }
  }
}
