package io.photoapp.jwt.push;

import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Azure SDK's transport with the bounds {@link BoundedHttp} gives Vault: each reply is read whole
 * within the deadline and at most {@link BoundedHttp#MAX_REPLY_BYTES}, then handed on from memory. A
 * reply over the cap fails with {@link BoundedHttp.TooLarge} (in an {@link UncheckedIOException}).
 */
final class CappedAzureHttp implements HttpClient {
  private final HttpClient delegate;
  private final Duration deadline;

  CappedAzureHttp(HttpClient delegate, Duration deadline) {
    this.delegate = delegate;
    this.deadline = deadline;
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request) {
    return send(request, Context.NONE);
  }

  @Override
  public Mono<HttpResponse> send(HttpRequest request, Context context) {
    return delegate.send(request, context).flatMap(CappedAzureHttp::buffered).timeout(deadline);
  }

  @Override
  public HttpResponse sendSync(HttpRequest request, Context context) {
    long started = System.nanoTime();
    HttpResponse response = delegate.sendSync(request, context);
    Duration left = deadline.minusNanos(System.nanoTime() - started);
    return buffered(response).block(left.isNegative() ? Duration.ZERO : left);
  }

  private static Mono<HttpResponse> buffered(HttpResponse response) {
    return response.getBody().reduce(new ByteArrayOutputStream(), (out, buffer) -> {
      if (out.size() + buffer.remaining() > BoundedHttp.MAX_REPLY_BYTES) {
        throw new UncheckedIOException(new BoundedHttp.TooLarge());
      }
      byte[] chunk = new byte[buffer.remaining()];
      buffer.get(chunk);
      out.write(chunk, 0, chunk.length);
      return out;
    }).map(out -> (HttpResponse) new Buffered(response, out.toByteArray()))
        .doFinally(s -> response.close());
  }

  /** A reply held in memory. */
  private static final class Buffered extends HttpResponse {
    private final int status;
    private final HttpHeaders headers;
    private final byte[] body;

    Buffered(HttpResponse from, byte[] body) {
      super(from.getRequest());
      this.status = from.getStatusCode();
      this.headers = from.getHeaders();
      this.body = body;
    }

    @Override
    public int getStatusCode() {
      return status;
    }

    @Override
    @SuppressWarnings("deprecation")
    public String getHeaderValue(String name) {
      return headers.getValue(name);
    }

    @Override
    public HttpHeaders getHeaders() {
      return headers;
    }

    @Override
    public Flux<ByteBuffer> getBody() {
      return Flux.defer(() -> Flux.just(ByteBuffer.wrap(body).asReadOnlyBuffer()));
    }

    @Override
    public BinaryData getBodyAsBinaryData() {
      return BinaryData.fromBytes(body);
    }

    @Override
    public Mono<byte[]> getBodyAsByteArray() {
      return Mono.fromSupplier(body::clone);
    }

    @Override
    public Mono<String> getBodyAsString() {
      return getBodyAsString(StandardCharsets.UTF_8);
    }

    @Override
    public Mono<String> getBodyAsString(Charset charset) {
      return Mono.fromSupplier(() -> new String(body, charset));
    }

    @Override
    public HttpResponse buffer() {
      return this;
    }
  }
}
