package io.photoapp.jwt.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a command inside an image's unpacked file tree the way a container runtime does, with what
 * this machine has (util-linux and coreutils, as root): a private mount namespace, the tree as the
 * root (read-only when asked), a tmpfs at /tmp holding the kubeconfig, /proc, the usual /dev nodes,
 * and the process as the image's user. It shares the host's network, so that loopback reaches the
 * API server of the test JVM. The returned process is the command itself (each step execs the next).
 */
final class Rootfs {
  /** The mounts a container runtime sets up, then "$@": env -i with the container's environment, chroot, the command. */
  private static final String SETUP = """
      set -eu
      root=$1; kubeconfig=$2; readonly=$3; cgroup=$4; shift 4
      mount --make-rprivate /
      mount --bind "$root" "$root"
      if [ "$readonly" = ro ]; then mount -o remount,bind,ro "$root"; fi
      mount -t tmpfs -o size=64m,mode=1777,nosuid,nodev tmpfs "$root/tmp"
      cp "$kubeconfig" "$root/tmp/kubeconfig"
      chmod 0444 "$root/tmp/kubeconfig"
      mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
      mount -t tmpfs -o size=64k,mode=0755,nosuid tmpfs "$root/dev"
      for d in null zero random urandom; do
        : > "$root/dev/$d"
        mount --bind "/dev/$d" "$root/dev/$d"
      done
      if [ -n "$cgroup" ]; then
        # Into the pod's memory cgroup; the hierarchies read-only at /sys/fs/cgroup, where the JVM finds its limit.
        echo $$ > "$cgroup/cgroup.procs"
        mount -t tmpfs -o size=64k,mode=0755,nosuid,nodev,noexec tmpfs "$root/sys"
        for c in cpu cpuacct cpuset memory; do
          mkdir -p "$root/sys/fs/cgroup/$c"
          mount --bind "/sys/fs/cgroup/$c" "$root/sys/fs/cgroup/$c"
          mount -o remount,bind,ro "$root/sys/fs/cgroup/$c"
        done
      fi
      exec "$@"
      """;

  private Rootfs() {}

  static boolean isRoot() throws IOException {
    return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
  }

  /**
   * Starts {@code command} in the tree at {@code root} as {@code user} ("uid:gid", or "root"), with
   * exactly the environment {@code env}, the kubeconfig at /tmp/kubeconfig, output to {@code log}.
   */
  static Process start(Path root, boolean readOnly, String user, Path kubeconfig, Map<String, String> env, List<String> command,
      Path log) throws IOException {
    return start(root, readOnly, null, user, kubeconfig, env, command, log);
  }

  /** The same, in {@code cgroup} (null: none), which the process sees at /sys/fs/cgroup as in a container. */
  static Process start(Path root, boolean readOnly, MemoryCgroup cgroup, String user, Path kubeconfig, Map<String, String> env,
      List<String> command, Path log) throws IOException {
    if (!isRoot()) {
      throw new IllegalStateException("running the image's tree needs root (mount and chroot), as in CI: run as root");
    }
    for (String dir : List.of("tmp", "proc", "dev", "sys")) {
      if (!Files.isDirectory(root.resolve(dir))) {
        throw new IllegalStateException("the image has no /" + dir + " to mount on");
      }
    }
    String tree = root.toAbsolutePath().toString();
    List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--", "/bin/sh", "-c", SETUP, "sh",
        tree, kubeconfig.toAbsolutePath().toString(), readOnly ? "ro" : "rw", cgroup == null ? "" : cgroup.dir.toString(),
        "/usr/bin/env", "-i"));
    env.forEach((k, v) -> cmd.add(k + "=" + v));
    cmd.add("/usr/sbin/chroot");
    if (!user.equals("root")) {
      // As the user, with its group as the only one (the chart's runAsUser and runAsGroup).
      cmd.addAll(List.of("--userspec=" + user, "--groups=" + user.substring(user.indexOf(':') + 1)));
    }
    cmd.add(tree);
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    return pb.start();
  }
}
