package io.acrretention.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.acrretention.retention.Mode;
import java.util.Collection;

/**
 * What a whole run may do, from the effective modes of its repositories: {@code mixed} when some
 * repositories delete and others only report. Not a {@link Mode}: no repository and no message is
 * ever "mixed".
 */
public enum RunMode {
    DRY_RUN("dry-run"),
    DELETE("delete"),
    MIXED("mixed");

    private final String json;

    RunMode(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    public static RunMode fromJson(String value) {
        for (RunMode m : values()) {
            if (m.json.equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException(
                "run mode must be 'dry-run', 'delete' or 'mixed', not '" + value + "'");
    }

    /**
     * The run's mode from its repositories' modes; {@code whenNone} for a run without repositories.
     */
    public static RunMode of(Collection<Mode> modes, Mode whenNone) {
        if (modes.isEmpty()) {
            return whenNone == Mode.DELETE ? DELETE : DRY_RUN;
        }
        boolean deletes = modes.contains(Mode.DELETE);
        boolean reports = modes.contains(Mode.DRY_RUN);
        return deletes && reports ? MIXED : deletes ? DELETE : DRY_RUN;
    }
}
