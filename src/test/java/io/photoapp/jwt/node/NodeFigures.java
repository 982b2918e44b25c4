package io.photoapp.jwt.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The node tier's measured figures, written as README's table to {@code target/node-figures.md} (e2e/node/run --update-readme splices it in). */
final class NodeFigures {
  static final Path FILE = Path.of("target", "node-figures.md");

  record Row(String scenario, String shows, String requests, String rejected, String stages) {}

  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  synchronized void row(String scenario, String shows, LoadDriver.Report r, String rejected, String stages) {
    rows.add(new Row(scenario, shows, r == null ? "–" : r.requests() + " (" + r.logins() + " logins, " + r.calls() + " /api)",
        rejected, stages));
    write();
  }

  synchronized void note(String note) {
    notes.add(note);
    write();
  }

  private void write() {
    StringBuilder s = new StringBuilder();
    long mem = 0;
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          mem = Long.parseLong(l.replaceAll("\\D", "")) >> 20;
        }
      }
    } catch (IOException | NumberFormatException e) {
      mem = -1;
    }
    s.append("Measured ").append(Instant.now().truncatedTo(ChronoUnit.MINUTES)).append(" by `e2e/node/run` on ")
        .append(Runtime.getRuntime().availableProcessors()).append(" cores and ").append(mem).append(" GiB")
        .append(" (Kubernetes 1.20.2, one node, containerd 1.6, the operator from the chart as one pod).\n\n");
    s.append("| scenario | must show | requests under traffic | rejected unexpired tokens | stages (time, rollouts) |\n");
    s.append("|---|---|---|---|---|\n");
    for (Row r : rows) {
      s.append("| ").append(r.scenario()).append(" | ").append(r.shows()).append(" | ").append(r.requests()).append(" | ")
          .append(r.rejected()).append(" | ").append(r.stages()).append(" |\n");
    }
    if (!notes.isEmpty()) {
      s.append('\n');
      notes.forEach(n -> s.append("- ").append(n).append('\n'));
    }
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(FILE, s.toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
