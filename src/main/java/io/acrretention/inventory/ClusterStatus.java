package io.acrretention.inventory;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Objects;

/**
 * How collecting one cluster went.
 *
 * @param status {@code ok} or {@code failed}
 * @param images how many distinct image references the cluster reported
 * @param error  what made it fail (cause and where), null when ok
 */
public record ClusterStatus(String name, String status, int images, long durationMs, String error) {
    public static final String OK = "ok";
    public static final String FAILED = "failed";

    public ClusterStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
    }

    public static ClusterStatus ok(String name, int images, long durationMs) {
        return new ClusterStatus(name, OK, images, durationMs, null);
    }

    public static ClusterStatus failed(String name, long durationMs, String error) {
        return new ClusterStatus(name, FAILED, 0, durationMs, error);
    }

    @JsonIgnore
    public boolean isOk() {
        return OK.equals(status);
    }
}
