package io.acrretention.testing;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.queue.QueueServiceClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Azurite (Blob and Queue, in memory) from {@code node_modules/.bin/azurite}, started once per JVM
 * on free loopback ports and stopped by a shutdown hook. Every test suite that needs storage shares
 * it; each uses its own container or queue names.
 */
public final class Azurite {
    /** The well-known development account every Azurite accepts; not a secret. */
    public static final String ACCOUNT = "devstoreaccount1";

    public static final String KEY =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Path EXECUTABLE = Path.of("node_modules", ".bin", "azurite");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int START_ATTEMPTS = 3;
    private static Azurite instance;

    private final Process process;
    private final int blobPort;
    private final int queuePort;

    private Azurite(Process process, int blobPort, int queuePort) {
        this.process = process;
        this.blobPort = blobPort;
        this.queuePort = queuePort;
    }

    /** The shared instance, started on first use. */
    public static synchronized Azurite get() {
        if (instance == null) {
            instance = start();
            Azurite started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "azurite-stop"));
        }
        return instance;
    }

    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName="
                + ACCOUNT
                + ";AccountKey="
                + KEY
                + ";BlobEndpoint=http://127.0.0.1:"
                + blobPort
                + "/"
                + ACCOUNT
                + ";QueueEndpoint=http://127.0.0.1:"
                + queuePort
                + "/"
                + ACCOUNT
                + ";";
    }

    public String blobEndpoint() {
        return "http://127.0.0.1:" + blobPort + "/" + ACCOUNT;
    }

    public String queueEndpoint() {
        return "http://127.0.0.1:" + queuePort + "/" + ACCOUNT;
    }

    public BlobServiceClientBuilder blobServiceClientBuilder() {
        return new BlobServiceClientBuilder()
                .connectionString(connectionString())
                .httpClient(httpClient());
    }

    public QueueServiceClientBuilder queueServiceClientBuilder() {
        return new QueueServiceClientBuilder()
                .connectionString(connectionString())
                .httpClient(httpClient());
    }

    /**
     * An empty queue with base64 messages, as the Functions host reads them; created if missing.
     */
    public com.azure.storage.queue.QueueClient emptyQueue(String name) {
        com.azure.storage.queue.QueueClient q =
                queueServiceClientBuilder()
                        .messageEncoding(com.azure.storage.queue.QueueMessageEncoding.BASE64)
                        .buildClient()
                        .getQueueClient(name);
        q.createIfNotExists();
        q.clearMessages();
        return q;
    }

    /** A new, uniquely named blob container (not yet created). */
    public com.azure.storage.blob.BlobContainerClient newContainer(String prefix) {
        return blobServiceClientBuilder()
                .buildClient()
                .getBlobContainerClient(
                        prefix + "-" + java.util.UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * The JDK HTTP client (the project excludes netty), with short time-outs: loopback answers fast
     * or not at all.
     */
    public static HttpClient httpClient() {
        return new JdkHttpClientBuilder()
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    private static Azurite start() {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException(
                    EXECUTABLE.toAbsolutePath()
                            + " is missing: run npm ci in the project folder first");
        }
        IllegalStateException last = null;
        // Free ports are picked then released, so another process may take one first: try again
        // then.
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            try {
                return startOnce();
            } catch (IllegalStateException e) {
                last = e;
            }
        }
        throw last;
    }

    private static Azurite startOnce() {
        try {
            int blob = freePort();
            int queue = freePort();
            int table = freePort();
            Path workspace = Files.createTempDirectory("azurite-");
            Path log = workspace.resolve("azurite.log");
            // In-memory Azurite refuses --location; its working folder is a fresh one instead.
            Process p =
                    new ProcessBuilder(
                                    List.of(
                                            EXECUTABLE.toAbsolutePath().toString(),
                                            "--blobHost",
                                            "127.0.0.1",
                                            "--blobPort",
                                            String.valueOf(blob),
                                            "--queueHost",
                                            "127.0.0.1",
                                            "--queuePort",
                                            String.valueOf(queue),
                                            "--tableHost",
                                            "127.0.0.1",
                                            "--tablePort",
                                            String.valueOf(table),
                                            "--inMemoryPersistence",
                                            "--skipApiVersionCheck",
                                            "--loose",
                                            "--silent",
                                            "--disableTelemetry"))
                            .directory(workspace.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile())
                            .start();
            Azurite azurite = new Azurite(p, blob, queue);
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (!(answers(blob) && answers(queue))) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    azurite.stop();
                    throw new IllegalStateException(
                            "Azurite did not start on ports "
                                    + blob
                                    + "/"
                                    + queue
                                    + (p.isAlive()
                                            ? " within " + START_TIMEOUT
                                            : " (exit " + p.exitValue() + ")")
                                    + "; its log: "
                                    + Files.readString(log));
                }
                Thread.sleep(100);
            }
            return azurite;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Azurite", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Azurite", e);
        }
    }

    private void stop() {
        // The .bin entry is a node script: stop its children too, or node keeps the ports.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
