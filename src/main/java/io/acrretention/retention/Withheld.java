package io.acrretention.retention;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a run or a repository may not delete anything, even where its plan says delete. */
public record Withheld(Cause cause, String message) {
    public enum Cause {
        INVENTORY_INCOMPLETE("inventory-incomplete"),
        TOO_FEW_USED_IMAGES("too-few-used-images"),
        INVENTORY_STALE("inventory-stale"),
        /**
         * Far fewer used images than the last complete run: a cluster probably answered only in
         * part.
         */
        USED_IMAGES_DROPPED("used-images-dropped"),
        DELETE_CAP_REACHED("delete-cap-reached"),
        /** {@code keepPulledWithin} is set and a registry's pull logs could not be read in full. */
        PULL_LOGS_UNREADABLE("pull-logs-unreadable"),
        /** The configuration stopped selecting the repository after the run started. */
        NOT_SELECTED("not-selected");

        private final String code;

        Cause(String code) {
            this.code = code;
        }

        @JsonValue
        public String code() {
            return code;
        }
    }
}
