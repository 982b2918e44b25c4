package io.photoapp.jwt.ops;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the heap that garbage promoted into the old generation took (issue #19). The serial collector, the
 * chart's, never collects its old generation before that reaches the maximum heap: it grows it instead, so a
 * long-running operator would come to hold half its memory limit in heap whatever its live set (at 1,000 JwtSecrets
 * the live set is about 36 MiB and start-up alone left 62 MiB in the old generation). When the old generation has
 * grown past {@link #due its threshold} since the last full collection, one is asked for; the chart's
 * {@code MaxHeapFreeRatio} then returns the rest to the system. Only with the serial collector (its pool "Tenured
 * Gen"); {@code -Djwt.operator.heapCompaction=false} turns it off.
 */
public final class HeapCompaction implements Runnable {
  /** System property: false turns compaction off. */
  public static final String PROPERTY = "jwt.operator.heapCompaction";
  private static final Logger LOG = LoggerFactory.getLogger(HeapCompaction.class);
  private static final long MIB = 1024 * 1024;
  /** Growth allowed beyond the live set of the last full collection: an eighth of it, plus this. */
  static final long SLACK = 8 * MIB;

  private final MemoryPoolMXBean tenured;
  private final Runnable collect;

  HeapCompaction(MemoryPoolMXBean tenured, Runnable collect) {
    this.tenured = tenured;
    this.collect = collect;
  }

  /** The serial collector's old generation, if this JVM runs it and compaction is not turned off. */
  public static Optional<HeapCompaction> forThisJvm() {
    if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
      return Optional.empty();
    }
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> "Tenured Gen".equals(p.getName())).findFirst()
        .map(p -> new HeapCompaction(p, System::gc));
  }

  /**
   * Whether the old generation, {@code committed} bytes now, has outgrown what the last full collection left
   * ({@code live}, 0 before the first one): by more than an eighth of it plus {@link #SLACK}.
   */
  static boolean due(long committed, long live) {
    return committed > live + live / 8 + SLACK;
  }

  @Override
  public void run() {
    MemoryUsage now = tenured.getUsage();
    MemoryUsage afterLastFull = tenured.getCollectionUsage();
    long live = afterLastFull == null ? 0 : afterLastFull.getUsed();
    if (due(now.getCommitted(), live)) {
      collect.run();
      LOG.debug("heap compacted: old generation {} MiB committed, {} MiB live before; {} MiB committed after",
          now.getCommitted() / MIB, live / MIB, tenured.getUsage().getCommitted() / MIB);
    }
  }
}
