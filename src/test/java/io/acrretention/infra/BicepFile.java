package io.acrretention.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A structural reader for the Bicep files of this repository (the compiler cannot run here). It
 * reads declarations that start at the beginning of a line, in the style the templates are written
 * in, and fails naming the file and line for anything it does not recognise rather than skipping
 * it.
 */
final class BicepFile {
    private static final Pattern DECLARATION =
            Pattern.compile(
                    "(?m)^(resource|param|var|module|output|targetScope|type|func|import|metadata|using)\\b.*$");
    private static final Pattern RESOURCE =
            Pattern.compile(
                    "resource (\\w+) '([^'@]+)@([^']+)'( existing)? = (?:if \\((.+)\\) )?(\\[for [^:]+: )?\\{");
    private static final Pattern MODULE =
            Pattern.compile("module (\\w+) '([^']+)' = (?:if \\((.+)\\) )?(\\[for [^:]+: )?\\{");
    private static final Pattern PARAM =
            Pattern.compile("param (\\w+) (string|int|bool|array|object)(?: = (.+))?");
    private static final Pattern VAR = Pattern.compile("var (\\w+) = (.+)");
    private static final Pattern OUTPUT =
            Pattern.compile("output (\\w+) (string|int|bool|array|object) = (.+)");
    private static final Pattern STRING_LITERAL = Pattern.compile("'([^'$\\\\]*)'");
    private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z_]\\w*|'[^']*')\\s*:");

    record Resource(
            String file,
            String symbol,
            String type,
            String apiVersion,
            boolean existing,
            String condition,
            String body) {
        String where() {
            return symbol + " ('" + type + "') in " + file;
        }
    }

    record Module(
            String file, String symbol, String path, String condition, boolean loop, String body) {
        String where() {
            return "module " + symbol + " in " + file;
        }
    }

    record Param(String name, String type, String defaultValue, List<String> allowed) {}

    private final String name;
    private final String code;
    private final String masked;
    private final List<Resource> resources = new ArrayList<>();
    private final Map<String, String> modules = new LinkedHashMap<>();
    private final List<Module> moduleDeclarations = new ArrayList<>();
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final Map<String, String> vars = new LinkedHashMap<>();
    private final Map<String, String> outputs = new LinkedHashMap<>();

    private BicepFile(String name, String source) {
        this.name = name;
        BicepText text = new BicepText(name, source);
        this.code = text.code();
        this.masked = text.masked();
        read();
    }

    static BicepFile read(Path path) {
        try {
            return new BicepFile(path.getFileName().toString(), Files.readString(path));
        } catch (IOException e) {
            throw new AssertionError("reading " + path + " failed: " + e, e);
        }
    }

    static BicepFile of(String name, String source) {
        return new BicepFile(name, source);
    }

    private void read() {
        Matcher d = DECLARATION.matcher(masked);
        int lastEnd = 0;
        while (d.find()) {
            if (d.start() < lastEnd) {
                continue; // inside the body of the previous declaration
            }
            String header = code.substring(d.start(), d.end()).strip();
            String between = code.substring(lastEnd, d.start());
            lastEnd = declaration(d.group(1), header, d.start(), between);
        }
        String rest = masked.substring(lastEnd);
        for (String line : rest.split("\n")) {
            if (!line.isBlank()) {
                throw new AssertionError(
                        name + ": cannot read '" + line.strip() + "' after the last declaration");
            }
        }
    }

    /** Reads one declaration and returns where it ends. */
    private int declaration(String keyword, String header, int start, String before) {
        switch (keyword) {
            case "resource" -> {
                Matcher m = RESOURCE.matcher(header);
                require(m.matches(), header, start);
                int open = start + header.length() - 1;
                int close = closing(open);
                resources.add(
                        new Resource(
                                name,
                                m.group(1),
                                m.group(2),
                                m.group(3),
                                m.group(4) != null,
                                m.group(5),
                                code.substring(open + 1, close)));
                return m.group(6) == null ? close + 1 : loopEnd(close, header, start);
            }
            case "module" -> {
                Matcher m = MODULE.matcher(header);
                require(m.matches(), header, start);
                modules.put(m.group(1), m.group(2));
                int open = start + header.length() - 1;
                int close = closing(open);
                moduleDeclarations.add(
                        new Module(
                                name,
                                m.group(1),
                                m.group(2),
                                m.group(3),
                                m.group(4) != null,
                                code.substring(open + 1, close)));
                return m.group(4) == null ? close + 1 : loopEnd(close, header, start);
            }
            case "param" -> {
                Matcher m = PARAM.matcher(header);
                require(m.matches(), header, start);
                params.put(
                        m.group(1), new Param(m.group(1), m.group(2), m.group(3), allowed(before)));
                return start + header.length();
            }
            case "var" -> {
                Matcher m = VAR.matcher(header);
                require(m.matches(), header, start);
                return value(start, header, m.group(2), value -> vars.put(m.group(1), value));
            }
            case "output" -> {
                Matcher m = OUTPUT.matcher(header);
                require(m.matches(), header, start);
                return value(start, header, m.group(3), value -> outputs.put(m.group(1), value));
            }
            default ->
                    throw new AssertionError(
                            name
                                    + " line "
                                    + line(start)
                                    + ": the infra check does not read '"
                                    + keyword
                                    + "' declarations; write it in the style of the other templates or extend BicepFile");
        }
    }

    /** A looped declaration's body is followed by the loop's closing bracket. */
    private int loopEnd(int close, String header, int start) {
        int i = close + 1;
        while (i < masked.length() && Character.isWhitespace(masked.charAt(i))) {
            i++;
        }
        require(i < masked.length() && masked.charAt(i) == ']', header, start);
        return i + 1;
    }

    /**
     * A value that leaves a bracket open on the header line runs to the matching close, and on when
     * that close is followed on its line by more of the expression ({@code } : {} of a
     * conditional).
     */
    private int value(
            int start, String header, String value, java.util.function.Consumer<String> sink) {
        int valueStart = start + header.length() - value.length();
        int depth = 0;
        for (int i = valueStart; i < masked.length(); i++) {
            char ch = masked.charAt(i);
            if (ch == '{' || ch == '[' || ch == '(') {
                depth++;
            } else if (ch == '}' || ch == ']' || ch == ')') {
                depth--;
            }
            if (depth == 0
                    && (i >= start + header.length() - 1 || ch == '\n')
                    && restOfLineIsBlank(i + 1)) {
                int end = Math.max(i + 1, start + header.length());
                sink.accept(code.substring(valueStart, end).strip());
                return end;
            }
        }
        throw new AssertionError(
                name + " line " + line(start) + ": a bracket in '" + header + "' is never closed");
    }

    private boolean restOfLineIsBlank(int from) {
        int eol = masked.indexOf('\n', from);
        return masked.substring(Math.min(from, masked.length()), eol < 0 ? masked.length() : eol)
                .isBlank();
    }

    private static List<String> allowed(String before) {
        int at = before.lastIndexOf("@allowed([");
        if (at < 0) {
            return List.of();
        }
        String list = before.substring(at + "@allowed([".length(), before.indexOf("])", at));
        List<String> values = new ArrayList<>();
        for (String item : list.strip().split("\\s+")) {
            values.add(item.replace("'", ""));
        }
        return values;
    }

    private int closing(int open) {
        char o = masked.charAt(open);
        char c = o == '{' ? '}' : o == '[' ? ']' : ')';
        int depth = 0;
        for (int i = open; i < masked.length(); i++) {
            char ch = masked.charAt(i);
            if (ch == o) {
                depth++;
            } else if (ch == c && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError(name + " line " + line(open) + ": '" + o + "' is never closed");
    }

    private void require(boolean matches, String header, int start) {
        if (!matches) {
            throw new AssertionError(
                    name
                            + " line "
                            + line(start)
                            + ": cannot read '"
                            + header
                            + "'; write it in the style of the other templates or extend BicepFile");
        }
    }

    private int line(int offset) {
        return (int) code.substring(0, offset).chars().filter(ch -> ch == '\n').count() + 1;
    }

    String name() {
        return name;
    }

    List<Resource> resources() {
        return resources;
    }

    /** Module symbol to the path of its file. */
    Map<String, String> modules() {
        return modules;
    }

    List<Module> moduleDeclarations() {
        return moduleDeclarations;
    }

    Map<String, String> vars() {
        return vars;
    }

    /** The source without comments; offsets equal those of {@link #masked()}. */
    String code() {
        return code;
    }

    /** The source without comments and with the inside of every string blanked out. */
    String masked() {
        return masked;
    }

    /** The 1-based line of an offset in the source. */
    int lineOf(int offset) {
        return line(offset);
    }

    Param param(String param) {
        Param p = params.get(param);
        if (p == null) {
            throw new AssertionError(name + " has no param '" + param + "'");
        }
        return p;
    }

    Map<String, String> outputs() {
        return outputs;
    }

    /** The source of a var's value (an object or array var includes its brackets). */
    String var(String var) {
        String value = vars.get(var);
        if (value == null) {
            throw new AssertionError(name + " has no var '" + var + "'");
        }
        return value;
    }

    /** A var whose value is one string literal without interpolation. */
    String stringVar(String var) {
        Matcher m = STRING_LITERAL.matcher(var(var).strip());
        if (!m.matches()) {
            throw new AssertionError(
                    name + ": var " + var + " is not a plain string literal: " + var(var));
        }
        return m.group(1);
    }

    /** A property of a resource body or object literal, one level deep, by its key. */
    static String property(String objectBody, String key, String where) {
        Map<String, String> props = properties(objectBody);
        String value = props.get(key);
        if (value == null) {
            throw new AssertionError(
                    where + " has no property '" + key + "' (it has " + props.keySet() + ")");
        }
        return value;
    }

    /**
     * The top-level properties of an object literal (with or without its braces), in order: key to
     * value source.
     */
    static Map<String, String> properties(String objectBody) {
        String body = objectBody.strip();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1);
        }
        String maskedBody = BicepText.mask(body);
        List<int[]> keys = new ArrayList<>(); // {line start, key start, key end, value start}
        int depth = 0;
        int lineStart = 0;
        for (int i = 0; i <= maskedBody.length(); i++) {
            char ch = i < maskedBody.length() ? maskedBody.charAt(i) : '\n';
            if (ch == '\n') {
                lineStart = i + 1;
                continue;
            }
            if (i == lineStart && depth == 0) {
                int eol = maskedBody.indexOf('\n', i);
                String line = maskedBody.substring(i, eol < 0 ? maskedBody.length() : eol);
                Matcher k = KEY.matcher(line);
                if (k.find()) {
                    keys.add(new int[] {i, i + k.start(1), i + k.end(1), i + k.end()});
                } else if (!line.isBlank() && !line.strip().matches("[}\\])]+.*")) {
                    throw new AssertionError(
                            "cannot read the object line '"
                                    + line.strip()
                                    + "': one key per line is expected");
                }
            }
            if (ch == '{' || ch == '[' || ch == '(') {
                depth++;
            } else if (ch == '}' || ch == ']' || ch == ')') {
                depth--;
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int n = 0; n < keys.size(); n++) {
            int[] key = keys.get(n);
            int end = n + 1 < keys.size() ? keys.get(n + 1)[0] : body.length();
            out.put(
                    body.substring(key[1], key[2]).replace("'", ""),
                    body.substring(key[3], end).strip());
        }
        return out;
    }

    /** The value of a string literal ({@code 'text'}), or an assertion error naming where. */
    static String literal(String value, String where) {
        Matcher m = STRING_LITERAL.matcher(value.strip());
        if (!m.matches()) {
            throw new AssertionError(where + ": expected a string literal, got " + value);
        }
        return m.group(1);
    }
}
