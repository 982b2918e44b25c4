package io.photoapp.jwt.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * A watch that starts at a resource version, as the API server serves it: the mock server's CRUD
 * dispatcher sends an {@code ADDED} event for every matching object when a watch opens, whatever
 * {@code resourceVersion} the request names, so an informer that had just listed 1,000 objects
 * received and parsed all 1,000 again (and the server wrote them twice). This listener passes on
 * every event except an {@code ADDED} of an object whose resource version is not newer than the
 * watch's: the client listed it already. An object created or changed between the list and the
 * watch has a newer version and still arrives, as from a real API server. The mock server numbers
 * versions with one counter, and its list answers with that counter read under the same lock as
 * the listed objects, so "not newer" is exactly "in the list".
 */
final class WatchSince extends WebSocketListener {
  private final WebSocketListener delegate;
  private final long since;
  private volatile Filtered socket;

  private WatchSince(WebSocketListener delegate, long since) {
    this.delegate = delegate;
    this.since = since;
  }

  /** The watch listener for a request path: {@code delegate} as it is when the path names no resource version. */
  static WebSocketListener of(WebSocketListener delegate, String path) {
    OptionalLong since = resourceVersion(path);
    return since.isEmpty() ? delegate : new WatchSince(delegate, since.getAsLong());
  }

  /** The watch's {@code resourceVersion} when it is a positive number ("0" and none mean: from any version). */
  static OptionalLong resourceVersion(String path) {
    int query = path.indexOf('?');
    if (query < 0) {
      return OptionalLong.empty();
    }
    for (String pair : path.substring(query + 1).split("&")) {
      if (pair.startsWith("resourceVersion=")) {
        String value = URLDecoder.decode(pair.substring("resourceVersion=".length()), StandardCharsets.UTF_8);
        try {
          long version = Long.parseLong(value);
          return version > 0 ? OptionalLong.of(version) : OptionalLong.empty();
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }

  /** True for an ADDED event of an object the client listed already (its version is not newer than {@code since}). */
  static boolean listedAlready(String event, long since) {
    if (!event.contains("\"ADDED\"")) {
      return false;
    }
    try {
      JsonNode node = Serialization.jsonMapper().readTree(event);
      if (!"ADDED".equals(node.path("type").asText())) {
        return false;
      }
      String version = node.path("object").path("metadata").path("resourceVersion").asText("");
      return !version.isEmpty() && Long.parseLong(version) <= since;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private Filtered wrap(WebSocket webSocket) {
    Filtered current = socket;
    if (current == null || current.delegate != webSocket) {
      current = new Filtered(webSocket, since);
      socket = current;
    }
    return current;
  }

  @Override
  public void onBeforeAccept(WebSocket webSocket, Response response) {
    delegate.onBeforeAccept(wrap(webSocket), response);
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    delegate.onOpen(wrap(webSocket), response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(wrap(webSocket), text);
  }

  @Override
  public void onMessage(WebSocket webSocket, ByteString bytes) {
    delegate.onMessage(wrap(webSocket), bytes);
  }

  @Override
  public void onMessage(WebSocket webSocket, byte[] bytes) {
    delegate.onMessage(wrap(webSocket), bytes);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(wrap(webSocket), code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    delegate.onClosed(wrap(webSocket), code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    delegate.onFailure(wrap(webSocket), t, response);
  }

  /** The server's side of the watch, holding back the events the client listed already. */
  private record Filtered(WebSocket delegate, long since) implements WebSocket {
    @Override
    public RecordedRequest request() {
      return delegate.request();
    }

    @Override
    public boolean send(String text) {
      return listedAlready(text, since) || delegate.send(text);
    }

    @Override
    public boolean send(byte[] bytes) {
      return delegate.send(bytes);
    }

    @Override
    public boolean send(ByteString bytes) {
      return delegate.send(bytes);
    }

    @Override
    public boolean close(int code, String reason) {
      return delegate.close(code, reason);
    }
  }
}
