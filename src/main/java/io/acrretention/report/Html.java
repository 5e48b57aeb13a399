package io.acrretention.report;

/**
 * Text into HTML: everything that reaches the page goes through {@link #esc}, because tag names are
 * user input.
 */
final class Html {
    private Html() {}

    /** Escapes for element content and for double- or single-quoted attribute values alike. */
    static String esc(Object value) {
        String s = value == null ? "" : value.toString();
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    static String bytes(long b) {
        return ByteSizes.human(b);
    }

    /** A manifest's size frees at most that much: layers it shares with kept images stay. */
    static String upTo(long b) {
        return b == 0 ? "0 B" : "up to " + bytes(b);
    }
}
