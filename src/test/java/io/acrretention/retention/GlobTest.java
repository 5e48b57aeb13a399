package io.acrretention.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Globs as the README documents them, and matching whose work is bounded by name and glob length.
 */
class GlobTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            team-a/**    | team-a        | true
            team-a/**    | team-a/api    | true
            team-a/**    | team-a/x/y    | true
            team-a/**    | team-ab       | false
            team-a/**    | team-b/api    | false
            team-a/*     | team-a        | false
            team-a/*     | team-a/api    | true
            team-a/*     | team-a/x/y    | false
            **           | a             | true
            **           | a/b/c         | true
            **/api       | api           | true
            **/api       | x/y/api       | true
            **/api       | xapi          | false
            a/**/b       | a/b           | true
            a/**/b       | a/x/y/b       | true
            a/**/b       | a/xb          | false
            app/keep-*   | app/keep-me   | true
            app/keep-*   | app/keep-/x   | false
            app/v?       | app/v1        | true
            app/v?       | app/v/        | false
            a.b          | a.b           | true
            a.b          | axb           | false
            *            | api           | true
            *            | app/api       | false
            """)
    void aGlobMatchesAsDocumented(String glob, String name, boolean matches) {
        assertEquals(matches, Glob.of(glob).matches(name), glob + " vs " + name);
    }

    @Test
    void theAutomatonGrowsWithTheGlobOnlySoMatchingIsLinearInTheName() {
        // Work per character of a name is bounded by the number of states, which is at most two per
        // glob
        // character: there is no backtracking that could multiply them.
        for (String glob :
                java.util.List.of(
                        "a", "*", "**", "team-a/**", "**/b/**", "*a*a*a*a*a*a*a*a*a*a*b")) {
            assertTrue(Glob.of(glob).states() <= 2 * glob.length() + 1, glob);
        }
    }

    @Test
    void aTenStarGlobAgainstAFortyCharacterNameAnswers() {
        // A backtracking regex spent 12.8 s here; the automaton walks the name once. No timing
        // asserted: the
        // benchmark has the figure.
        Glob glob = Glob.of("*a*a*a*a*a*a*a*a*a*a*b");
        assertFalse(glob.matches("a".repeat(40)));
        assertTrue(glob.matches("a".repeat(40) + "b"));
    }
}
