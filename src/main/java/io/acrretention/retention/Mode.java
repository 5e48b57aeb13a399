package io.acrretention.retention;

import io.acrretention.input.BadInputException;

/** Whether a run may change the registry. Dry run is the default; deletion must be asked for. */
public enum Mode {
    DRY_RUN("dry-run"),
    DELETE("delete");

    private final String json;

    Mode(String json) {
        this.json = json;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String json() {
        return json;
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Mode fromJson(String value) {
        for (Mode m : values()) {
            if (m.json.equals(value)) {
                return m;
            }
        }
        throw new BadInputException("mode must be 'dry-run' or 'delete', not '" + value + "'");
    }

    /** The safer of two modes: a request may narrow a run to dry run, never widen it to delete. */
    public Mode narrowedBy(Mode requested) {
        return this == DRY_RUN || requested == DRY_RUN ? DRY_RUN : DELETE;
    }
}
