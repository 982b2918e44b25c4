package io.photoapp.jwt.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The serial collector's old generation is collected when promoted garbage made it outgrow the last live set (#19). */
class HeapCompactionTest {
  private static final long MIB = 1024 * 1024;

  @Test
  void dueOnlyWhenTheOldGenerationOutgrewTheLastLiveSetByAnEighthAndSlack() {
    // Before any full collection (live 0): once more than the slack is committed, e.g. start-up's 62 MiB.
    assertThat(HeapCompaction.due(62 * MIB, 0)).isTrue();
    assertThat(HeapCompaction.due(8 * MIB, 0)).isFalse();
    // 36 MiB live at 1,000 JwtSecrets: 40 MiB after the collection is not due, 52 MiB is.
    assertThat(HeapCompaction.due(40 * MIB, 36 * MIB)).isFalse();
    assertThat(HeapCompaction.due(48 * MIB, 36 * MIB)).isFalse();
    assertThat(HeapCompaction.due(52 * MIB, 36 * MIB)).isTrue();
  }

  @Test
  void collectsWhenDueAndNotOtherwise() {
    AtomicInteger collections = new AtomicInteger();
    long[] committed = {70 * MIB};
    MemoryPoolMXBean pool = pool(() -> committed[0], 36 * MIB);
    HeapCompaction compaction = new HeapCompaction(pool, collections::incrementAndGet);
    compaction.run();
    assertThat(collections).hasValue(1);
    committed[0] = 41 * MIB;
    compaction.run();
    assertThat(collections).hasValue(1);
  }

  @Test
  void offWithTheSystemProperty() {
    String before = System.getProperty(HeapCompaction.PROPERTY);
    System.setProperty(HeapCompaction.PROPERTY, "false");
    try {
      assertThat(HeapCompaction.forThisJvm()).isEmpty();
    } finally {
      if (before == null) {
        System.clearProperty(HeapCompaction.PROPERTY);
      } else {
        System.setProperty(HeapCompaction.PROPERTY, before);
      }
    }
  }

  private static MemoryPoolMXBean pool(java.util.function.LongSupplier committed, long live) {
    return (MemoryPoolMXBean) Proxy.newProxyInstance(HeapCompactionTest.class.getClassLoader(), new Class<?>[] {MemoryPoolMXBean.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getUsage" -> new MemoryUsage(0, committed.getAsLong(), committed.getAsLong(), 200 * MIB);
          case "getCollectionUsage" -> new MemoryUsage(0, live, live, 200 * MIB);
          case "getName" -> "Tenured Gen";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
