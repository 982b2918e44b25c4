package io.photoapp.jwt.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy between the operator and the mock API server that can drop connections: a reply
 * carrying the header {@link #CUT} is never forwarded, and both sides of its connection are closed,
 * so the client reads an early end of stream, as when the network fails mid-request. (The mock
 * server has no socket policies: only a proxy can cut a connection.)
 */
public final class CuttingProxy implements AutoCloseable {
  /** The header with which the dispatcher marks a reply to drop. */
  public static final String CUT = "X-Test-Cut-Connection";
  private static final byte[] MARKER = CUT.toLowerCase().getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket listener;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  public CuttingProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    daemon("proxy-accept", this::accept).start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(server);
        daemon("proxy-up", () -> pump(client, server, false)).start();
        daemon("proxy-down", () -> pump(server, client, true)).start();
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean replies) {
    byte[] buffer = new byte[16384];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (replies && contains(buffer, n)) {
          break;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side went away: close the other.
    } finally {
      quietlyClose(from);
      quietlyClose(to);
    }
  }

  /** Whether the bytes hold the marker, case-insensitively (a reply's headers arrive in one read). */
  private static boolean contains(byte[] bytes, int length) {
    outer:
    for (int i = 0; i + MARKER.length <= length; i++) {
      for (int j = 0; j < MARKER.length; j++) {
        if (Character.toLowerCase(bytes[i + j]) != MARKER[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private void quietlyClose(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already gone.
    }
    sockets.remove(socket);
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    sockets.forEach(this::quietlyClose);
  }
}
