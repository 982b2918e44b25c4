package io.photoapp.jwt.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A memory cgroup (v1) below this process's own, with a limit: what a pod's memory limit is. The
 * kernel holds the processes put in it to the limit, and a JVM that sees the cgroup (Rootfs mounts
 * the hierarchies into the tree, as a container runtime does) sizes its heap from it.
 */
final class MemoryCgroup implements AutoCloseable {
  static final Path V1 = Path.of("/sys/fs/cgroup");
  /** The hierarchies a JVM looks for in a cgroup v1 container: all four, or it ignores them. */
  static final java.util.List<String> CONTROLLERS = java.util.List.of("cpu", "cpuacct", "cpuset", "memory");
  final Path dir;

  private MemoryCgroup(Path dir) {
    this.dir = dir;
  }

  /** A new cgroup with {@code limitBytes}, or empty where this machine has no writable cgroup v1 memory hierarchy. */
  static Optional<MemoryCgroup> create(String name, long limitBytes) throws IOException {
    String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().map(l -> l.split(":", 3))
        .filter(f -> f.length == 3 && f[1].equals("memory")).map(f -> f[2]).findFirst().orElse(null);
    if (own == null || CONTROLLERS.stream().anyMatch(c -> !Files.isDirectory(V1.resolve(c)))) {
      return Optional.empty();
    }
    Path parent = V1.resolve("memory" + own);
    if (!Files.isWritable(parent)) {
      return Optional.empty();
    }
    Path dir = parent.resolve(name);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("memory.limit_in_bytes"), Long.toString(limitBytes));
    return Optional.of(new MemoryCgroup(dir));
  }

  long limitBytes() throws IOException {
    return Long.parseLong(Files.readString(dir.resolve("memory.limit_in_bytes")).trim());
  }

  /** How often the kernel held a process here at the limit (memory.failcnt). */
  long failures() throws IOException {
    return Long.parseLong(Files.readString(dir.resolve("memory.failcnt")).trim());
  }

  @Override
  public void close() throws IOException {
    for (int i = 0; i < 50; i++) {
      try {
        Files.deleteIfExists(dir);
        return;
      } catch (IOException busy) {
        try {
          Thread.sleep(100); // the last process is still leaving
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
