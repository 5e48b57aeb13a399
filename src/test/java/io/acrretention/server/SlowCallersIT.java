package io.acrretention.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callers that connect and then send (or read) nothing must not stop the server, nor fail its
 * probes.
 */
class SlowCallersIT {
    static final int HELD = 12;

    @TempDir Path dir;
    ServerFixture f;
    final List<Socket> held = new ArrayList<>();

    @BeforeEach
    void setUp() {
        f = new ServerFixture(dir);
    }

    @AfterEach
    void tearDown() throws IOException {
        for (Socket s : held) {
            s.close();
        }
        f.close();
    }

    /**
     * More connections than the server has threads, each stuck half-way through its request line.
     */
    void holdConnections(URI server) throws IOException {
        for (int i = 0; i < HELD; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(server.getHost(), server.getPort()), 2000);
            s.setSoTimeout(60_000);
            // Plain HTTP: half a request line; TLS: not even a ClientHello. Either way the server
            // waits on it.
            if ("http".equals(server.getScheme())) {
                OutputStream out = s.getOutputStream();
                out.write("GET /images HT".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            held.add(s);
        }
    }

    HttpResponse<String> healthz() throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return client.send(
                HttpRequest.newBuilder(URI.create(f.server.healthUrl() + "/healthz"))
                        .timeout(Duration.ofSeconds(3))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzAnswersOnItsOwnPortWhileMoreConnectionsThanThreadsHangOnTheMainPort()
            throws Exception {
        f.start();
        holdConnections(f.server.url());

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = healthz();
            assertEquals(200, response.statusCode());
            assertEquals("ok\n", response.body());
        }
    }

    @Test
    void aCallerThatSendsNothingIsCutOffAfterTheRequestTimeoutAndTheServerAnswersAgain()
            throws Exception {
        var config = f.config();
        config.remove("tls");
        // Generous: on a loaded machine a listing may take seconds; the budget must cover it.
        config.put("listTimeout", "PT10S").put("requestTimeout", "PT11S");
        f.start(config);
        holdConnections(f.server.url());
        long start = System.nanoTime();

        for (Socket s : held) {
            InputStream in = s.getInputStream();
            // Closed by the server (end of stream or a reset), not by our 60 s read timeout.
            try {
                while (in.read() >= 0) {
                    // a 400 for the half request line would do as well; nothing is expected
                }
            } catch (java.net.SocketException reset) {
                // the server closed it hard
            }
        }
        long waited = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(waited < 45_000, "the held connections were cut after " + waited + " ms");

        HttpResponse<String> response = f.get("/images", f.entraToken());
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void theHealthPortServesOnlyHealthz() throws Exception {
        f.start();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        HttpResponse<String> images =
                client.send(
                        HttpRequest.newBuilder(URI.create(f.server.healthUrl() + "/images"))
                                .header("Authorization", "Bearer " + f.entraToken())
                                .timeout(Duration.ofSeconds(3))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertEquals(404, images.statusCode());
        assertEquals(0, f.cluster.requests("pods"));
    }
}
