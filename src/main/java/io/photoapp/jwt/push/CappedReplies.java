package io.photoapp.jwt.push;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Caps what the AWS SDK reads of a reply at {@link BoundedHttp#MAX_REPLY_BYTES}, as {@link BoundedHttp}
 * does for Vault: an endpoint that answers without end costs bounded memory (the SDK's apiCallTimeout
 * bounds the time). The read fails with {@link BoundedHttp.TooLarge}.
 */
final class CappedReplies implements ExecutionInterceptor {
  @Override
  public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
    return context.responseBody().map(in -> new Capped(in, BoundedHttp.MAX_REPLY_BYTES));
  }

  /** A stream that fails once more than {@code max} bytes have been read from it. */
  static final class Capped extends FilterInputStream {
    private final long max;
    private long read;

    Capped(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count(Math.max(n, 0));
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) throws IOException {
      read += n;
      if (read > max) {
        throw new BoundedHttp.TooLarge();
      }
    }
  }
}
