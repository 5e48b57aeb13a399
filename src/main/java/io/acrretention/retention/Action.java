package io.acrretention.retention;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * What happens to a manifest: kept as is, some of its tags removed, or deleted with all its tags.
 */
public enum Action {
    KEEP,
    UNTAG,
    DELETE;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
