package io.acrretention.log;

/**
 * Makes text safe for a one-line log: every log line of this app passes through here, because much
 * of what is logged comes from outside (a token's header, a queue message, a request body, a
 * registry's error). A line break in such text would otherwise start a line the reader takes for
 * the app's own, and a bidi override would show it reversed. Control, format and line-separator
 * characters are written as escapes ({@code \n}, {@code \r}, {@code \t}, else {@code \}{@code
 * uXXXX}); everything else is left as it is.
 */
public final class LogText {
    private LogText() {}

    public static String escape(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!needsEscape(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean needsEscape(char c) {
        int type = Character.getType(c);
        return type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
