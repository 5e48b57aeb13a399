package io.acrretention.usage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Objects;

/**
 * How collecting one cluster went.
 *
 * @param status {@code ok} or {@code failed}
 * @param images how many distinct image references the cluster reported
 * @param error what made it fail (cause and where), null when ok
 * @param notInstalled configured custom resources whose API the cluster does not have (no failure)
 */
public record ClusterStatus(
        String name,
        String status,
        int images,
        long durationMs,
        String error,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> notInstalled) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    @JsonCreator
    public ClusterStatus(
            @JsonProperty("name") String name,
            @JsonProperty("status") String status,
            @JsonProperty("images") int images,
            @JsonProperty("durationMs") long durationMs,
            @JsonProperty("error") String error,
            @JsonProperty("notInstalled") List<String> notInstalled) {
        this.name = Objects.requireNonNull(name, "name");
        this.status = Objects.requireNonNull(status, "status");
        this.images = images;
        this.durationMs = durationMs;
        this.error = error;
        this.notInstalled = notInstalled == null ? List.of() : List.copyOf(notInstalled);
    }

    public ClusterStatus(String name, String status, int images, long durationMs, String error) {
        this(name, status, images, durationMs, error, List.of());
    }

    public static ClusterStatus ok(String name, int images, long durationMs) {
        return new ClusterStatus(name, OK, images, durationMs, null);
    }

    public static ClusterStatus ok(
            String name, int images, long durationMs, List<String> notInstalled) {
        return new ClusterStatus(name, OK, images, durationMs, null, notInstalled);
    }

    public static ClusterStatus failed(String name, long durationMs, String error) {
        return new ClusterStatus(name, FAILED, 0, durationMs, error);
    }

    @JsonIgnore
    public boolean isOk() {
        return OK.equals(status);
    }
}
