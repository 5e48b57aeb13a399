package io.acrretention.testing.functions;

import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueMessageItem;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;

/**
 * What the Functions host does around a handler, for tests that call handlers directly (the host
 * cannot be installed here): an invocation context, HTTP request and response objects, and queue
 * delivery with the host's semantics: a batch at a time, the dequeue count, retries, and the poison
 * queue after {@code maxDequeueCount}.
 */
public final class HostStandIn {
    private HostStandIn() {}

    public static ExecutionContext context(String functionName) {
        String id = UUID.randomUUID().toString();
        Logger logger = Logger.getLogger("Function." + functionName);
        return new ExecutionContext() {
            @Override
            public Logger getLogger() {
                return logger;
            }

            @Override
            public String getInvocationId() {
                return id;
            }

            @Override
            public String getFunctionName() {
                return functionName;
            }
        };
    }

    /** A queue-triggered handler: the message text and its dequeue count. */
    @FunctionalInterface
    public interface QueueHandler {
        void handle(String message, long dequeueCount) throws Exception;
    }

    /**
     * Delivers every message of {@code queue} to {@code handler}, {@code batchSize} at once in
     * parallel, until the queue is empty: a handler that returns completes its message; one that
     * throws leaves it for another delivery, and after {@code maxDequeueCount} deliveries the host
     * moves it to {@code <queue>-poison}.
     *
     * @return how many deliveries failed
     */
    public static int drain(
            QueueClient queue,
            QueueClient poison,
            int batchSize,
            int maxDequeueCount,
            QueueHandler handler)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(batchSize);
        int failures = 0;
        try {
            while (true) {
                List<QueueMessageItem> batch = new ArrayList<>();
                queue.receiveMessages(
                                batchSize, Duration.ofSeconds(1), Duration.ofSeconds(10), null)
                        .forEach(batch::add);
                if (batch.isEmpty()) {
                    if (queue.getProperties().getApproximateMessagesCount() == 0) {
                        return failures;
                    }
                    Thread.sleep(200);
                    continue;
                }
                List<Future<Boolean>> results = new ArrayList<>();
                for (QueueMessageItem m : batch) {
                    results.add(
                            pool.submit(
                                    () -> {
                                        try {
                                            handler.handle(
                                                    m.getBody().toString(), m.getDequeueCount());
                                            return true;
                                        } catch (Exception e) {
                                            return false;
                                        }
                                    }));
                }
                for (int i = 0; i < batch.size(); i++) {
                    QueueMessageItem m = batch.get(i);
                    boolean ok = results.get(i).get();
                    if (!ok) {
                        failures++;
                    }
                    if (ok || m.getDequeueCount() >= maxDequeueCount) {
                        if (!ok) {
                            poison.sendMessage(m.getBody().toString());
                        }
                        queue.deleteMessage(m.getMessageId(), m.getPopReceipt());
                    } else {
                        // Visible again at once: the host's retry, without waiting out the
                        // visibility time-out.
                        queue.updateMessage(
                                m.getMessageId(),
                                m.getPopReceipt(),
                                m.getBody().toString(),
                                Duration.ZERO);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    public static HttpRequestMessage<Optional<String>> request(
            HttpMethod method, String uri, String body) {
        URI u = URI.create(uri);
        return new HttpRequestMessage<>() {
            @Override
            public URI getUri() {
                return u;
            }

            @Override
            public HttpMethod getHttpMethod() {
                return method;
            }

            @Override
            public Map<String, String> getHeaders() {
                return Map.of("content-type", "application/json");
            }

            @Override
            public Map<String, String> getQueryParameters() {
                return Map.of();
            }

            @Override
            public Optional<String> getBody() {
                return Optional.ofNullable(body);
            }

            @Override
            public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
                return new Response(status);
            }

            @Override
            public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
                return new Response(status);
            }
        };
    }

    private static final class Response
            implements HttpResponseMessage, HttpResponseMessage.Builder {
        private HttpStatusType status;
        private final Map<String, String> headers = new HashMap<>();
        private Object body;

        Response(HttpStatusType status) {
            this.status = status;
        }

        @Override
        public HttpResponseMessage.Builder status(HttpStatusType s) {
            status = s;
            return this;
        }

        @Override
        public HttpResponseMessage.Builder header(String key, String value) {
            headers.put(key.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        @Override
        public HttpResponseMessage.Builder body(Object b) {
            body = b;
            return this;
        }

        @Override
        public HttpResponseMessage build() {
            return this;
        }

        @Override
        public HttpStatusType getStatus() {
            return status;
        }

        @Override
        public String getHeader(String key) {
            return headers.get(key.toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public Object getBody() {
            return body;
        }
    }
}
