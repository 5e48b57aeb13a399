package io.acrretention.registry.acr;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpResponse;
import com.azure.core.models.ResponseError;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.RegistryException.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;

/**
 * The one place that turns what the SDK throws into a {@link RegistryException} of the right kind,
 * with a message that says what was tried, on what, and why it failed.
 */
final class AcrErrors {
    /** ACR's code for an operation refused by a lock (deleteEnabled or writeEnabled false). */
    static final String DISALLOWED = "REGISTRY_DISALLOWED_OPERATION";

    private AcrErrors() {}

    /**
     * @param what e.g. {@code delete manifest sha256:ab12...}
     * @param repository the repository, or null for registry-wide calls
     */
    static RegistryException map(
            String what, String repository, String loginServer, Throwable failure) {
        String where =
                what
                        + (repository == null ? "" : " in " + repository)
                        + " on "
                        + loginServer
                        + " failed: ";
        HttpResponseException http = find(failure, HttpResponseException.class);
        if (http != null && http.getResponse() != null) {
            HttpResponse response = http.getResponse();
            int status = response.getStatusCode();
            String code = http.getValue() instanceof ResponseError error ? error.getCode() : null;
            String reason =
                    http.getValue() instanceof ResponseError error
                            ? error.getMessage()
                            : firstLine(http);
            String message =
                    where
                            + status
                            + (code == null ? "" : " " + code)
                            + (reason == null ? "" : " " + reason);
            Kind kind = kindOf(status, code);
            Duration retryAfter =
                    kind == Kind.THROTTLED
                            ? retryAfter(response.getHeaderValue("Retry-After"))
                            : null;
            return new RegistryException(kind, status, message, retryAfter, failure);
        }
        if (isNetwork(failure)) {
            return new RegistryException(
                    Kind.NETWORK, 0, where + "no answer: " + rootMessage(failure), failure);
        }
        return new RegistryException(Kind.OTHER, 0, where + rootMessage(failure), failure);
    }

    static Kind kindOf(int status, String code) {
        if (DISALLOWED.equals(code) || status == 405 || status == 409) {
            return Kind.LOCKED;
        }
        if (status == 401 || status == 403) {
            return Kind.UNAUTHORIZED;
        }
        if (status == 404) {
            return Kind.NOT_FOUND;
        }
        if (status == 429) {
            return Kind.THROTTLED;
        }
        if (status >= 500 && status != 501 && status != 505) {
            return Kind.SERVER;
        }
        return Kind.OTHER;
    }

    /**
     * Retry-After is delta-seconds or an HTTP-date; anything else is ignored rather than guessed.
     */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d =
                        Duration.between(
                                java.time.Instant.now(),
                                ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                                        .toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    private static boolean isNetwork(Throwable t) {
        return find(t, IOException.class) != null
                || find(t, UncheckedIOException.class) != null
                || find(t, TimeoutException.class) != null
                || find(t, HttpTimeoutException.class) != null;
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String firstLine(Throwable t) {
        String m = t.getMessage();
        return m == null ? null : m.lines().findFirst().orElse(m);
    }
}
