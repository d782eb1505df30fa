package io.poolforge.transport.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder whose connections the test can cut, like a network that drops: {@link
 * #down()} closes every connection and refuses new ones until {@link #up()}.
 */
final class CuttableProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile boolean down;
  private volatile boolean closed;

  CuttableProxy(int targetPort) throws IOException {
    this.target = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("proxy-accept").start(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket in = server.accept();
        if (down) {
          in.close();
          continue;
        }
        Socket out = new Socket();
        out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target));
        open.add(in);
        open.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        if (closed) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread.ofPlatform()
        .daemon()
        .name("proxy-pump")
        .start(
            () -> {
              byte[] buf = new byte[16384];
              try (InputStream is = from.getInputStream();
                  OutputStream os = to.getOutputStream()) {
                int n;
                while ((n = is.read(buf)) >= 0) {
                  os.write(buf, 0, n);
                  os.flush();
                }
              } catch (IOException e) {
                // cut, or the peer went away
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            });
  }

  /** Drops every connection and refuses new ones. */
  void down() {
    down = true;
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  /** How many connections it accepted since it was last brought down. */
  int connections() {
    return open.size() / 2;
  }

  /** Drops one connection (0 = the first accepted since it was last brought down). */
  void cut(int connection) {
    closeQuietly(open.get(2 * connection));
    closeQuietly(open.get(2 * connection + 1));
  }

  /** Lets connections through again. */
  void up() {
    down = false;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    down();
    try {
      server.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
