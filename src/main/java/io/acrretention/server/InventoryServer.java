package io.acrretention.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.acrretention.inventory.ImageSource;
import io.acrretention.json.Json;
import io.acrretention.log.Log;
import io.acrretention.log.LogConsole;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * The in-cluster inventory endpoint ({@code acr-retention serve-inventory}): {@code GET /images}
 * answers {@code {"images": [...]}} to a caller with a trusted bearer JWT, {@code GET /healthz}
 * answers {@code ok} to anyone, and nothing else is served. {@code /healthz} is also served on a
 * port of its own with threads of its own (plain HTTP, for the kubelet's probes): callers that hold
 * every thread of the main port must not get the pod restarted.
 */
public final class InventoryServer implements AutoCloseable {
    private static final Log LOG = Log.of(InventoryServer.class);

    private static final int THREADS = 8;
    private static final int HEALTH_THREADS = 2;
    private static final Duration HEALTH_BUDGET = Duration.ofSeconds(5);
    private static final int STOP_GRACE_SECONDS = 2;

    /**
     * The same for every rejected token: the reason goes to the log, a caller only learns it is not
     * let in.
     */
    static final String UNAUTHORIZED =
            "the bearer token is not accepted; the server's log says why";

    private final HttpServer http;
    private final HttpServer health;
    private final DeadlineExecutor executor;
    private final DeadlineExecutor healthExecutor;
    private final TokenVerifier verifier;
    private final ListingCache cache;
    private final String scheme;

    private InventoryServer(
            HttpServer http,
            HttpServer health,
            DeadlineExecutor executor,
            DeadlineExecutor healthExecutor,
            TokenVerifier verifier,
            ListingCache cache,
            String scheme) {
        this.http = http;
        this.health = health;
        this.executor = executor;
        this.healthExecutor = healthExecutor;
        this.verifier = verifier;
        this.cache = cache;
        this.scheme = scheme;
    }

    /**
     * Starts serving {@code config} and returns at once.
     *
     * @throws IllegalArgumentException when the TLS identity or an issuer's CA file cannot be used
     * @throws IOException when the address cannot be bound
     */
    /**
     * @param cluster this cluster's image source, built by the caller from {@code config}
     */
    public static InventoryServer start(ServerConfig config, ImageSource cluster)
            throws IOException {
        TokenVerifier verifier =
                new TokenVerifier(
                        config.issuers(), config.oidc(), Clock.systemUTC(), System::nanoTime);
        ListingCache cache =
                new ListingCache(
                        new ClusterLister(config, cluster), config.cacheTtl(), System::nanoTime);
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
        HttpServer http;
        if (config.tls() != null) {
            HttpsServer https = HttpsServer.create(address, 64);
            https.setHttpsConfigurator(new HttpsConfigurator(ServerTls.context(config.tls())));
            http = https;
        } else {
            http = HttpServer.create(address, 64);
        }
        HttpServer health;
        try {
            health =
                    HttpServer.create(
                            new InetSocketAddress(config.bindAddress(), config.healthPort()), 16);
        } catch (IOException e) {
            http.stop(0);
            throw e;
        }
        DeadlineExecutor executor =
                new DeadlineExecutor(
                        "inventory-http", THREADS, config.requestTimeout(), System::nanoTime);
        DeadlineExecutor healthExecutor =
                new DeadlineExecutor(
                        "inventory-health", HEALTH_THREADS, HEALTH_BUDGET, System::nanoTime);
        InventoryServer server =
                new InventoryServer(
                        http,
                        health,
                        executor,
                        healthExecutor,
                        verifier,
                        cache,
                        config.tls() != null ? "https" : "http");
        http.setExecutor(executor);
        http.createContext("/", server::handle);
        health.setExecutor(healthExecutor);
        health.createContext("/", InventoryServer::handleHealth);
        http.start();
        health.start();
        return server;
    }

    /** Where it listens, e.g. {@code https://127.0.0.1:8443}. */
    public URI url() {
        return url(scheme, http.getAddress());
    }

    /** Where {@code /healthz} is served apart, e.g. {@code http://127.0.0.1:8081}. */
    public URI healthUrl() {
        return url("http", health.getAddress());
    }

    private static URI url(String scheme, InetSocketAddress a) {
        String host =
                a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create(
                scheme
                        + "://"
                        + (host.contains(":") ? "[" + host + "]" : host)
                        + ":"
                        + a.getPort());
    }

    /** Stops at once; answers in progress are cut off. */
    @Override
    public void close() {
        stop(0);
    }

    private void stop(int graceSeconds) {
        health.stop(0);
        http.stop(graceSeconds);
        healthExecutor.close();
        executor.close();
    }

    /**
     * {@code serve-inventory}: loads the settings ({@code configFile}, else {@code
     * INVENTORY_CONFIG}, with the environment on top), serves until the process is stopped, and
     * returns the exit code: 0 after a stop, 2 for settings that cannot be used, 1 when the server
     * cannot start. Its log lines and its errors go to {@code err}; {@code cluster} builds this
     * cluster's image source from the settings.
     */
    public static int run(
            Path configFile,
            Map<String, String> env,
            PrintWriter err,
            Function<ServerConfig, ImageSource> cluster) {
        try (LogConsole log = logTo(err)) {
            return serve(configFile, env, err, cluster);
        }
    }

    /**
     * Until closed, the server's log lines go to {@code err} as {@code <instant> <LEVEL>
     * inventory-server: <message>}, the shape a container runtime collects.
     */
    public static LogConsole logTo(PrintWriter err) {
        return LogConsole.component(InventoryServer.class, "inventory-server", err);
    }

    private static int serve(
            Path configFile,
            Map<String, String> env,
            PrintWriter err,
            Function<ServerConfig, ImageSource> cluster) {
        InventoryServer server;
        try {
            ServerConfig config = ServerConfig.load(configFile, env);
            server = start(config, cluster.apply(config));
        } catch (IllegalArgumentException e) {
            // ConfigException included: settings that cannot be used, each problem named
            err.println("serve-inventory: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("serve-inventory: cannot listen: " + e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    LOG.info("stopping");
                                    // Answers in progress get a moment to finish; Kubernetes
                                    // already sends new callers elsewhere.
                                    server.stop(STOP_GRACE_SECONDS);
                                    stopped.countDown();
                                },
                                "inventory-stop"));
        LOG.info(
                "serving GET /images and GET /healthz on "
                        + server.url()
                        + ", GET /healthz on "
                        + server.healthUrl());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.close();
        }
        return 0;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            switch (path) {
                case "/healthz" -> healthz(ex);
                case "/images" -> {
                    if (method.equals("GET")) {
                        images(ex);
                    } else {
                        notAllowed(ex, "GET");
                    }
                }
                default ->
                        message(
                                ex,
                                404,
                                "not found: this server answers GET /images and GET /healthz");
            }
        }
    }

    private static void handleHealth(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (ex.getRequestURI().getRawPath().equals("/healthz")) {
                healthz(ex);
            } else {
                message(ex, 404, "not found: this port answers GET /healthz");
            }
        }
    }

    private static void healthz(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        if (method.equals("GET") || method.equals("HEAD")) {
            send(ex, 200, "text/plain", "ok\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            notAllowed(ex, "GET, HEAD");
        }
    }

    private void images(HttpExchange ex) throws IOException {
        String caller;
        try {
            caller = verifier.verify(ex.getRequestHeaders().getFirst("Authorization"));
        } catch (TokenRejectedException e) {
            LOG.warn(
                    "rejected a caller from "
                            + ex.getRemoteAddress().getAddress().getHostAddress()
                            + ": "
                            + e.getMessage());
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            message(ex, 401, UNAUTHORIZED);
            return;
        } catch (KeysUnavailableException e) {
            LOG.warn(e.getMessage());
            message(
                    ex,
                    503,
                    "cannot check tokens now: the issuer's signing keys are not available");
            return;
        }
        Listing listing = cache.get();
        if (!listing.isOk()) {
            message(ex, 503, listing.failure());
            return;
        }
        LOG.info("answered " + listing.images() + " images to " + caller);
        send(ex, 200, "application/json", listing.body());
    }

    private static void notAllowed(HttpExchange ex, String allow) throws IOException {
        ex.getResponseHeaders().set("Allow", allow);
        message(ex, 405, "method not allowed (allowed: " + allow + ")");
    }

    /** {@code {"message": ...}}: what the retention app quotes from an error answer. */
    private static void message(HttpExchange ex, int status, String message) throws IOException {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(Map.of("message", message));
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        send(ex, status, "application/json", body);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body)
            throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
