package io.photoapp.jwt.push;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * A call to a store over the JDK's HttpClient with a total deadline (connect, headers and body) and a
 * cap on the reply's size: a store that sends headers and then stalls, or sends without end, costs a
 * bounded time and memory. Failures become {@link PushException}s that name the store, never the request.
 */
final class BoundedHttp {
  /** The largest reply read from a store. */
  static final int MAX_REPLY_BYTES = 1 << 20;

  private BoundedHttp() {}

  static HttpResponse<String> send(HttpClient http, HttpRequest request, Duration deadline, String store)
      throws PushException {
    CompletableFuture<HttpResponse<String>> call = http.sendAsync(request, info -> new Capped(MAX_REPLY_BYTES));
    try {
      return call.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new PushException(PushException.Reason.StoreUnreachable, store + " gave no complete answer within "
          + human(deadline));
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new PushException(PushException.Reason.StoreUnreachable, "interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof TooLarge) {
        throw new PushException(PushException.Reason.StoreRejected, store + " answered with more than "
            + MAX_REPLY_BYTES / 1024 + " KiB");
      }
      if (cause instanceof SSLException) {
        throw new PushException(PushException.Reason.StoreUnreachable, "TLS with " + store + " failed");
      }
      if (cause instanceof java.net.http.HttpTimeoutException) {
        throw new PushException(PushException.Reason.StoreUnreachable, store + " did not answer within "
            + human(deadline));
      }
      if (cause instanceof IOException) {
        throw new PushException(PushException.Reason.StoreUnreachable, "cannot reach " + store + ": "
            + cause.getClass().getSimpleName());
      }
      throw new PushException(PushException.Reason.StoreUnreachable, "cannot reach " + store + ": "
          + cause.getClass().getSimpleName());
    }
  }

  static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  /** A reply larger than the cap. */
  static final class TooLarge extends IOException {
    TooLarge() {
      super("reply too large", null);
    }
  }

  /** Collects the body up to a size, then cancels the subscription and fails. */
  private static final class Capped implements HttpResponse.BodySubscriber<String> {
    private final int max;
    private final CompletableFuture<String> result = new CompletableFuture<>();
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private Flow.Subscription subscription;

    Capped(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<String> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : buffers) {
        if (bytes.size() + b.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(new TooLarge());
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toString(StandardCharsets.UTF_8));
    }
  }
}
