package io.acrretention.report;

import io.acrretention.retention.Withheld;
import java.util.Map;

/**
 * Why deletion was withheld, as a person reads it; the run's own message follows with the
 * particulars. A cause without words here still shows its code and message.
 */
final class PlainWords {
    private static final Map<String, String> WITHHELD =
            Map.of(
                    "inventory-incomplete",
                            "Not every cluster answered, so nothing could be proved unused.",
                    "too-few-used-images",
                            "The clusters reported fewer images in use than the configured minimum, which"
                                    + " looks like a broken inventory rather than an empty cluster.",
                    "inventory-stale",
                            "The inventory was older than allowed when this repository was applied.",
                    "delete-cap-reached",
                            "The run reached its limit of deletions per run; the rest waits for the next run.",
                    "not-selected",
                            "The configuration stopped selecting this repository after the run started.");

    private PlainWords() {}

    static String withheld(Withheld w) {
        String code = w.cause() == null ? "" : w.cause().code();
        return WITHHELD.getOrDefault(code, "Deletion was withheld (" + code + ").");
    }
}
