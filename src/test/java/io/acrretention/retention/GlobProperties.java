package io.acrretention.retention;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * For random short globs and names over a small alphabet, the automaton answers what the documented
 * rules, written as a (backtracking, small-input-only) regex, answer.
 */
class GlobProperties {
    private static final String GLOB_ALPHABET = "ab/*?";
    private static final String NAME_ALPHABET = "ab/";

    private static Gen<String> over(String alphabet, int maxLength) {
        return lists().of(integers().between(0, alphabet.length() - 1))
                .ofSizeBetween(1, maxLength)
                .map(
                        l ->
                                l.stream()
                                        .map(i -> String.valueOf(alphabet.charAt(i)))
                                        .collect(Collectors.joining()));
    }

    @Test
    void theAutomatonAgreesWithTheDocumentedRules() {
        qt().withExamples(5000)
                .forAll(over(GLOB_ALPHABET, 8), over(NAME_ALPHABET, 8))
                .check(
                        (glob, name) ->
                                Glob.of(glob).matches(name)
                                        == reference(glob).matcher(name).matches());
    }

    /**
     * The rules as a regex: {@code *} one segment, {@code **} anything, {@code **}/ optional,
     * trailing /** optional.
     */
    private static Pattern reference(String glob) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '/' && i + 3 == glob.length() && glob.startsWith("**", i + 1)) {
                re.append("(?:/.*)?");
                i += 3;
                continue;
            } else if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                if (i + 2 < glob.length() && glob.charAt(i + 2) == '/') {
                    re.append("(?:.*/)?");
                    i += 3;
                } else {
                    re.append(".*");
                    i += 2;
                }
                continue;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return Pattern.compile(re.toString());
    }
}
