package io.acrretention.infra;

/**
 * Bicep source with comments blanked out ({@link #code()}), and the same with the inside of every
 * string, interpolations included, blanked out too ({@link #masked()}), so that brackets and
 * keywords can be found by position without being fooled by a URL or a {@code ${...}} in a string.
 * Offsets are the same in all three.
 */
final class BicepText {
    private final String code;
    private final String masked;

    BicepText(String file, String source) {
        if (source.contains("'''")) {
            throw new AssertionError(
                    file + ": multi-line strings (''') are not read by the infra check");
        }
        StringBuilder code = new StringBuilder(source);
        StringBuilder masked = new StringBuilder(source);
        scan(file, source, code, masked);
        this.code = code.toString();
        this.masked = masked.toString();
    }

    String code() {
        return code;
    }

    String masked() {
        return masked;
    }

    /** The text with the inside of every string blanked out (the text has no comments). */
    static String mask(String text) {
        StringBuilder masked = new StringBuilder(text);
        scan("an object literal", text, new StringBuilder(text), masked);
        return masked.toString();
    }

    private static void scan(String file, String s, StringBuilder code, StringBuilder masked) {
        // depth of ${...} interpolations; a string opened inside one nests, so a stack of brace
        // depths is kept
        java.util.ArrayDeque<Integer> interpolation = new java.util.ArrayDeque<>();
        boolean inString = false;
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    blank(masked, i, i + 2);
                    i += 2;
                    continue;
                }
                if (ch == '\'') {
                    inString = false;
                    if (interpolation.isEmpty()) {
                        i++;
                        continue;
                    }
                } else if (ch == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                    interpolation.push(0);
                    inString = false;
                    blank(masked, i, i + 2);
                    i += 2;
                    continue;
                }
                blank(masked, i, i + 1);
                i++;
                continue;
            }
            if (!interpolation.isEmpty()) {
                if (ch == '{') {
                    interpolation.push(interpolation.pop() + 1);
                } else if (ch == '}') {
                    int depth = interpolation.pop();
                    if (depth == 0) {
                        inString = true; // back in the enclosing string
                    } else {
                        interpolation.push(depth - 1);
                    }
                } else if (ch == '\'') {
                    inString = true;
                }
                blank(masked, i, i + 1);
                i++;
                continue;
            }
            if (ch == '\'') {
                inString = true;
                i++;
                continue;
            }
            if (ch == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/') {
                int eol = s.indexOf('\n', i);
                eol = eol < 0 ? s.length() : eol;
                blank(code, i, eol);
                blank(masked, i, eol);
                i = eol;
                continue;
            }
            if (ch == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    throw new AssertionError(file + ": a /* comment is never closed");
                }
                blank(code, i, end + 2);
                blank(masked, i, end + 2);
                i = end + 2;
                continue;
            }
            i++;
        }
        if (inString || !interpolation.isEmpty()) {
            throw new AssertionError(file + ": a string is never closed");
        }
    }

    private static void blank(StringBuilder text, int from, int to) {
        for (int i = from; i < Math.min(to, text.length()); i++) {
            if (text.charAt(i) != '\n') {
                text.setCharAt(i, ' ');
            }
        }
    }
}
