package io.acrretention.image;

import io.acrretention.input.BadInputException;

/** A string that is not an image reference; carries the raw input so a report can quote it. */
public final class InvalidImageReferenceException extends BadInputException {
    private final String input;
    private final String reason;

    public InvalidImageReferenceException(String input, String reason) {
        super("invalid image reference " + quote(input) + ": " + reason);
        this.input = input;
        this.reason = reason;
    }

    public String input() {
        return input;
    }

    public String reason() {
        return reason;
    }

    private static String quote(String s) {
        if (s == null) {
            return "(null)";
        }
        String shown = s.length() > 200 ? s.substring(0, 200) + "..." : s;
        return "'" + shown + "'";
    }
}
