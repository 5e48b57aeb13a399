package io.acrretention.testing.loganalytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.acrretention.json.Json;
import io.acrretention.testing.LoopbackHttps;
import io.acrretention.testing.TestCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback stand-in for the Log Analytics query API ({@code POST /v1/workspaces/{id}/query})
 * holding rows of {@code ContainerRegistryRepositoryEvents}. It answers as the service documents
 * it: {@code {"tables": [{"name": "PrimaryResult", "columns": [{"name", "type"}], "rows":
 * [[...]]}]}}, errors as OneAPI objects {@code {"error": {"code", "message"}}}, and a partial
 * result as a 200 that carries both tables and an error.
 *
 * <p>It runs the query instead of trusting it: a small interpreter for exactly the operators the
 * app's query uses (the table, {@code where X == "v"}, {@code where X !in~ (...)}, {@code summarize
 * LastPull = max(TimeGenerated) by ...}) plus the request's {@code timespan}. Anything else is a
 * 400 syntax error, so a change to the query that the emulator has not learnt fails the tests
 * instead of passing unchecked.
 */
public final class LogAnalyticsEmulator implements AutoCloseable {
    public record Event(
            Instant time,
            String operation,
            String loginServer,
            String identity,
            String repository,
            String tag,
            String digest) {
        String column(String name) {
            return switch (name) {
                case "OperationName" -> operation;
                case "LoginServer" -> loginServer;
                case "Identity" -> identity;
                case "Repository" -> repository;
                case "Tag" -> tag == null ? "" : tag;
                case "Digest" -> digest == null ? "" : digest;
                default ->
                        throw new IllegalArgumentException(
                                "'" + name + "' is not a column the emulator knows");
            };
        }
    }

    private static final Pattern EQUALS = Pattern.compile("where (\\w+) == \"([^\"]*)\"");
    private static final Pattern NOT_IN = Pattern.compile("where (\\w+) !in~ \\((.*)\\)");
    private static final Pattern SUMMARIZE =
            Pattern.compile("summarize LastPull = max\\(TimeGenerated\\) by ((?:\\w+)(?:, \\w+)*)");
    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final LoopbackHttps server;
    private final String workspaceId;
    private final String token;
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<JsonNode> queries = new CopyOnWriteArrayList<>();
    private final List<Integer> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int retryAfterSeconds;
    private volatile boolean partial;

    /**
     * @param token the bearer token every request must carry
     */
    public LogAnalyticsEmulator(TestCertificates certs, String workspaceId, String token) {
        this.workspaceId = workspaceId;
        this.token = token;
        this.server = LoopbackHttps.start(certs, "log-analytics-emulator", 4, this::handle);
    }

    public String base() {
        return server.base();
    }

    public void pull(
            Instant time,
            String loginServer,
            String identity,
            String repository,
            String tag,
            String digest) {
        events.add(new Event(time, "Pull", loginServer, identity, repository, tag, digest));
    }

    public void push(
            Instant time,
            String loginServer,
            String identity,
            String repository,
            String tag,
            String digest) {
        events.add(new Event(time, "Push", loginServer, identity, repository, tag, digest));
    }

    /**
     * The next requests answer these statuses (429s with {@code Retry-After}), in order, before any
     * success.
     */
    public void failNext(int retryAfter, Integer... statuses) {
        this.retryAfterSeconds = retryAfter;
        failures.addAll(List.of(statuses));
    }

    /**
     * Answers 200 with the rows and a {@code PartialError}, as the service does for a non-fatal
     * error.
     */
    public void answerPartially(boolean partial) {
        this.partial = partial;
    }

    public List<JsonNode> queries() {
        return List.copyOf(queries);
    }

    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            if (!"POST".equals(ex.getRequestMethod())
                    || !ex.getRequestURI()
                            .getPath()
                            .equals("/v1/workspaces/" + workspaceId + "/query")) {
                send(
                        ex,
                        404,
                        error(
                                "PathNotFoundError",
                                "no workspace at " + ex.getRequestURI().getPath()));
                return;
            }
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(
                        ex,
                        401,
                        error(
                                "AuthorizationRequiredError",
                                "Valid authentication was not provided"));
                return;
            }
            Integer failure = failures.isEmpty() ? null : failures.remove(0);
            if (failure != null) {
                if (failure == 429) {
                    ex.getResponseHeaders().set("Retry-After", Integer.toString(retryAfterSeconds));
                }
                send(
                        ex,
                        failure,
                        error(
                                failure == 429 ? "ThrottledError" : "ServiceError",
                                "status " + failure));
                return;
            }
            JsonNode body = Json.MAPPER.readTree(ex.getRequestBody());
            queries.add(body);
            ObjectNode answer;
            try {
                answer = run(body.path("query").asText(), body.path("timespan").asText(null));
            } catch (IllegalArgumentException e) {
                send(ex, 400, error("BadArgumentError", e.getMessage()));
                return;
            }
            if (partial) {
                answer.set(
                        "error",
                        error("PartialError", "There were some errors when processing your query.")
                                .get("error"));
            }
            send(ex, 200, answer);
        }
    }

    private ObjectNode run(String query, String timespan) {
        String[] steps = query.split("\n\\| ");
        if (!steps[0].equals("ContainerRegistryRepositoryEvents")) {
            throw new IllegalArgumentException("unknown table '" + steps[0] + "'");
        }
        Predicate<Event> filter = inWindow(timespan);
        List<String> by = null;
        for (int i = 1; i < steps.length; i++) {
            String step = steps[i].strip();
            Matcher m;
            if ((m = EQUALS.matcher(step)).matches()) {
                String column = m.group(1);
                String value = m.group(2);
                filter = filter.and(e -> e.column(column).equals(value));
            } else if ((m = NOT_IN.matcher(step)).matches()) {
                String column = m.group(1);
                Set<String> values = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                Matcher lit = LITERAL.matcher(m.group(2));
                while (lit.find()) {
                    values.add(lit.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
                }
                filter = filter.and(e -> !values.contains(e.column(column)));
            } else if ((m = SUMMARIZE.matcher(step)).matches() && i == steps.length - 1) {
                by = List.of(m.group(1).split(", "));
            } else {
                throw new IllegalArgumentException("syntax error at '" + step + "'");
            }
        }
        if (by == null) {
            throw new IllegalArgumentException("the emulator answers only summarised queries");
        }
        Map<List<String>, Instant> last = new LinkedHashMap<>();
        for (Event e :
                events.stream().filter(filter).sorted(Comparator.comparing(Event::time)).toList()) {
            List<String> key = by.stream().map(e::column).toList();
            last.merge(key, e.time(), (a, b) -> a.isAfter(b) ? a : b);
        }
        ObjectNode table = Json.MAPPER.createObjectNode().put("name", "PrimaryResult");
        ArrayNode columns = table.putArray("columns");
        by.forEach(c -> columns.addObject().put("name", c).put("type", "string"));
        columns.addObject().put("name", "LastPull").put("type", "datetime");
        ArrayNode rows = table.putArray("rows");
        last.forEach(
                (key, time) -> {
                    ArrayNode row = rows.addArray();
                    key.forEach(row::add);
                    row.add(time.toString());
                });
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.putArray("tables").add(table);
        return answer;
    }

    private static Predicate<Event> inWindow(String timespan) {
        if (timespan == null) {
            return e -> true;
        }
        String[] ends = timespan.split("/");
        Instant from = Instant.parse(ends[0]);
        Instant to = Instant.parse(ends[1]);
        return e -> !e.time().isBefore(from) && e.time().isBefore(to);
    }

    private static ObjectNode error(String code, String message) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.putObject("error").put("code", code).put("message", message);
        return root;
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
