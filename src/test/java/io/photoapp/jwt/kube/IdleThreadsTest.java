package io.photoapp.jwt.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The threads a start-up burst made end soon after it, not after the JDK's idle minute. */
class IdleThreadsTest {

  @Test
  void theThreadsOfABurstEndSoonAfterIt() throws Exception {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) IdleThreads.cachedPool("burst");
    burst(pool, 12);
    assertThat(pool.getPoolSize()).isEqualTo(12);
    await().atMost(Duration.ofSeconds(20)).until(() -> pool.getPoolSize() == 0);
    // And the pool still works afterwards.
    assertThat(pool.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS)).startsWith("burst-");
    pool.shutdown();
  }

  @Test
  void anotherLibrarysCachedPoolIsShortenedToo() throws Exception {
    ThreadPoolExecutor cached = (ThreadPoolExecutor) Executors.newCachedThreadPool();
    IdleThreads.shorten(cached);
    assertThat(cached.getKeepAliveTime(TimeUnit.SECONDS)).isEqualTo(IdleThreads.KEEP_ALIVE.toSeconds());
    burst(cached, 8);
    await().atMost(Duration.ofSeconds(20)).until(() -> cached.getPoolSize() == 0);
    cached.shutdown();
  }

  @Test
  void theReconcilePoolRunsAtMostItsThreadsAtOnceQueuesTheRestAndItsThreadsEndWhenIdle() throws Exception {
    ThreadPoolExecutor pool = (ThreadPoolExecutor) IdleThreads.fixedPool("reconciler", 3);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Future<?>> tasks = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      tasks.add(pool.submit(() -> {
        most.accumulateAndGet(running.incrementAndGet(), Math::max);
        try {
          Thread.sleep(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
      }));
    }
    for (var task : tasks) {
      task.get(10, TimeUnit.SECONDS);
    }
    assertThat(most.get()).isEqualTo(3);
    await().atMost(Duration.ofSeconds(20)).until(() -> pool.getPoolSize() == 0);
    assertThat(pool.submit(() -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS)).startsWith("reconciler-");
    pool.shutdown();
  }

  /** Runs n tasks at once, so that the pool makes n threads. */
  private static void burst(ExecutorService pool, int n) throws InterruptedException {
    CountDownLatch all = new CountDownLatch(n);
    CountDownLatch done = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      pool.execute(() -> {
        all.countDown();
        try {
          all.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        done.countDown();
      });
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
