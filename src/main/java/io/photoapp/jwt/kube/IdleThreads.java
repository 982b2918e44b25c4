package io.photoapp.jwt.kube;

import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pools whose idle threads end after {@link #KEEP_ALIVE} instead of the JDK's minute. The start-up
 * (the SDK starting a dozen informers side by side, fabric8 and the JDK's HTTP client handing out
 * the first lists' pages) grows three cached pools to about 30 threads that would then idle for a
 * minute, each with its stack and native structures resident: about 2 MiB at 45 s (bench/RESULTS.md).
 * The reconcile pool's ten threads, which a fixed pool keeps for ever, end the same way once the
 * start's resync is done. The operator's later work (a watch event, a reconcile and its requests)
 * needs a few at a time, and a thread is made again in microseconds.
 */
public final class IdleThreads {
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

  private IdleThreads() {}

  /** A cached pool of daemon threads named {@code name-N} that end after {@link #KEEP_ALIVE} idle. */
  public static ExecutorService cachedPool(String name) {
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS,
        new SynchronousQueue<>(), named(name, true));
  }

  /**
   * At most {@code threads} threads named {@code name-N} taking tasks from an unbounded queue, as
   * {@code Executors.newFixedThreadPool} but with its threads ending after {@link #KEEP_ALIVE} idle:
   * for the reconciles, which come in bursts (a start's resync, a rotation) and rest in between.
   */
  public static ExecutorService fixedPool(String name, int threads) {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), named(name, false));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  private static ThreadFactory named(String name, boolean daemon) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + count.incrementAndGet());
      t.setDaemon(daemon);
      return t;
    };
  }

  /** Lets the idle threads of a pool someone else made end after {@link #KEEP_ALIVE}; other executors stay as they are. */
  public static void shorten(ExecutorService pool) {
    if (pool instanceof ThreadPoolExecutor p && p.getKeepAliveTime(TimeUnit.MILLISECONDS) > KEEP_ALIVE.toMillis()) {
      p.setKeepAliveTime(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** fabric8's JDK HTTP client, its executor's idle threads ending after {@link #KEEP_ALIVE}. */
  public static final class HttpClients extends JdkHttpClientFactory {
    @Override
    protected HttpClient.Builder createNewHttpClientBuilder() {
      // fabric8's own executor is made and left unused: a pool without threads, collected with the client.
      return super.createNewHttpClientBuilder().executor(cachedPool("http-client"));
    }
  }
}
