package io.photoapp.jwt.push;

import io.photoapp.jwt.rotation.KeyState;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Calls to stores on a small pool of their own, apart from the reconcile threads, with at most one
 * call in flight per target. A reconcile waits a moment for its call; a call that takes longer goes
 * on without it, and a later reconcile collects its outcome, or gives it up once its deadline has
 * passed. So a store that stalls holds a pool thread for at most its deadline, and never a reconcile:
 * an emergency rotation elsewhere goes on as if the store were not there.
 *
 * <p>The pool is shared by every namespace, and a namespace's user chooses its store's address: one
 * namespace has at most {@link #PER_NAMESPACE} calls on the pool at once (queued or running). Its other
 * calls wait their turn outside the pool (in flight for their reconcile, which asks again), so its
 * stalled calls never hold every thread while another namespace's call to a healthy store waits in the
 * queue past its deadline.
 */
final class StoreCalls implements AutoCloseable {
  /** Threads for store calls: each call is bounded by its deadline, so a few serve many targets. */
  static final int THREADS = 4;
  /** Calls waiting for a thread; one per target at most, so this bounds the targets pushing at once. */
  static final int QUEUE = 1024;
  /** The most calls of one namespace on the pool at once: the other half of the threads stay for the rest. */
  static final int PER_NAMESPACE = THREADS / 2;

  /**
   * What a call came to: the store holds the payload (no failure), or why not; for a read, what the
   * store holds (empty when nothing). The pool's bookkeeping does not look at what a read returns.
   */
  record Outcome(Optional<PushException> failure, Optional<Object> held) {
    static Outcome ok() {
      return new Outcome(Optional.empty(), Optional.empty());
    }

    static Outcome read(Optional<KeyState> held) {
      return new Outcome(Optional.empty(), held.map(Object.class::cast));
    }

    static Outcome checked(Store.Comparison comparison) {
      return new Outcome(Optional.empty(), Optional.of(comparison));
    }

    static Outcome failed(PushException e) {
      return new Outcome(Optional.of(e), Optional.empty());
    }
  }

  private record Call(String keySet, long startedNanos, Future<Outcome> future, Share share) {}

  /** One call's place in its namespace's share of the pool: taken at submission, given back once. */
  private static final class Share {
    private final AtomicInteger taken;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean given = new AtomicBoolean();

    Share(AtomicInteger taken) {
      this.taken = taken;
    }

    void giveBack() {
      if (given.compareAndSet(false, true)) {
        taken.decrementAndGet();
      }
    }

    /** After a cancel: a call that never started gives its place back now; one running, when it ends. */
    void cancelled() {
      if (started.compareAndSet(false, true)) {
        giveBack();
      }
    }
  }

  private final ThreadPoolExecutor pool;
  private final Map<String, Call> inFlight = new ConcurrentHashMap<>();
  /** Calls on the pool per namespace. */
  private final Map<String, AtomicInteger> shares = new ConcurrentHashMap<>();
  private final Duration deadline;
  private final Duration wait;
  private final LongSupplier nanos;

  StoreCalls(Duration deadline, Duration wait) {
    this(deadline, wait, System::nanoTime);
  }

  StoreCalls(Duration deadline, Duration wait, LongSupplier nanos) {
    this.deadline = deadline;
    this.wait = wait;
    this.nanos = nanos;
    AtomicInteger n = new AtomicInteger();
    this.pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, "store-call-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * The outcome of the call for {@code key} (a JwtSecret's target) and this key set: at once when it
   * is done within the short wait or was done earlier; empty while it is in flight. A call still in
   * flight past the deadline is cancelled and fails as unreachable. The call itself reports nothing:
   * the reconcile that collects its outcome does, once. A call of a namespace that has
   * {@link #PER_NAMESPACE} calls on the pool already is not made yet: empty, as in flight.
   */
  Optional<Outcome> run(String namespace, String key, String keySet, Callable<Outcome> call) {
    Call existing = inFlight.get(key);
    if (existing != null) {
      if (existing.future().isDone()) {
        inFlight.remove(key, existing);
        if (existing.keySet().equals(keySet)) {
          return Optional.of(outcome(existing.future()));
        }
        // Done for an older key set: its outcome is stale; push the new one.
      } else if (nanos.getAsLong() - existing.startedNanos() > deadline.toNanos()) {
        existing.future().cancel(true);
        existing.share().cancelled();
        inFlight.remove(key, existing);
        return Optional.of(overdue());
      } else {
        return Optional.empty();
      }
    }
    AtomicInteger taken = shares.computeIfAbsent(namespace, n -> new AtomicInteger());
    if (taken.incrementAndGet() > PER_NAMESPACE) {
      taken.decrementAndGet();
      return Optional.empty();
    }
    Share share = new Share(taken);
    Future<Outcome> future;
    try {
      future = pool.submit(() -> {
        if (!share.started.compareAndSet(false, true)) {
          return overdue(); // cancelled before it started: nobody collects this
        }
        try {
          return call.call();
        } finally {
          share.giveBack();
        }
      });
    } catch (RejectedExecutionException e) {
      share.giveBack();
      return Optional.of(Outcome.failed(new PushException(PushException.Reason.StoreUnreachable,
          "too many store calls waiting")));
    }
    try {
      return Optional.of(future.get(wait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      inFlight.put(key, new Call(keySet, nanos.getAsLong(), future, share));
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inFlight.put(key, new Call(keySet, nanos.getAsLong(), future, share));
      return Optional.empty();
    } catch (ExecutionException e) {
      return Optional.of(unexpected(e));
    }
  }

  private Outcome overdue() {
    return Outcome.failed(new PushException(PushException.Reason.StoreUnreachable, "no answer within "
        + BoundedHttp.human(deadline)));
  }

  private static Outcome unexpected(ExecutionException e) {
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return Outcome.failed(new PushException(PushException.Reason.StoreRejected, "unexpected " + cause.getClass().getSimpleName()));
  }

  private Outcome outcome(Future<Outcome> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return overdue();
    } catch (java.util.concurrent.CancellationException e) {
      return overdue();
    } catch (ExecutionException e) {
      return unexpected(e);
    }
  }

  /** Forgets the calls of a JwtSecret that went (by key prefix), cancelling those in flight. */
  void forget(String keyPrefix) {
    inFlight.entrySet().removeIf(e -> {
      if (e.getKey().startsWith(keyPrefix)) {
        e.getValue().future().cancel(true);
        e.getValue().share().cancelled();
        return true;
      }
      return false;
    });
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
