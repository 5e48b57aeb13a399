package io.acrretention.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * The HTTPS server under every loopback emulator: 127.0.0.1, a free port, the test CA's server
 * certificate, daemon threads that never keep a test JVM alive.
 */
public final class LoopbackHttps implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService executor;

    private LoopbackHttps(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param threads requests served at once; 0 for as many as arrive
     */
    public static LoopbackHttps start(
            TestCertificates certs, String name, int threads, HttpHandler handler) {
        ThreadFactory daemons =
                r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                };
        ExecutorService executor =
                threads > 0
                        ? Executors.newFixedThreadPool(threads, daemons)
                        : Executors.newCachedThreadPool(daemons);
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
            server.setHttpsConfigurator(new HttpsConfigurator(certs.serverContext()));
            server.setExecutor(executor);
            server.createContext("/", handler);
            server.start();
            return new LoopbackHttps(server, executor);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot start the " + name + " on 127.0.0.1", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code https://127.0.0.1:<port>} */
    public String base() {
        return "https://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
