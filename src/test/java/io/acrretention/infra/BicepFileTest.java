package io.acrretention.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Bicep reader sees through strings and comments, and refuses what it cannot read instead of
 * skipping it.
 */
class BicepFileTest {
    @Test
    void readsResourcesParamsAndVarsWithoutBeingFooledByStringsOrComments() {
        BicepFile file =
                BicepFile.of(
                        "t.bicep",
                        String.join(
                                "\n",
                                "@allowed([",
                                "  'a'",
                                "  'b'",
                                "])",
                                "param mode string = 'a' // the default",
                                "var url = 'https://example.com/{not a brace'",
                                "resource r 'Microsoft.Web/sites@2024-04-01' = if (!flag) {",
                                "  name: '${split(x, '/')[2]}-}'",
                                "  properties: {",
                                "    httpsOnly: true",
                                "  }",
                                "}",
                                ""));
        assertEquals(List.of("a", "b"), file.param("mode").allowed());
        assertEquals("'a'", file.param("mode").defaultValue());
        assertEquals("https://example.com/{not a brace", file.stringVar("url"));
        BicepFile.Resource r = file.resources().get(0);
        assertEquals("!flag", r.condition());
        assertEquals(
                Map.of("httpsOnly", "true"),
                BicepFile.properties(BicepFile.property(r.body(), "properties", "r")));
    }

    @Test
    void aDeclarationInAnUnknownStyleFailsNamingFileAndLine() {
        AssertionError e =
                assertThrows(
                        AssertionError.class,
                        () ->
                                BicepFile.of(
                                        "odd.bicep",
                                        "\nresource r 'Microsoft.Web/sites@2024-04-01' existing = [for x in y: if (z) {\n}]\n"));
        assertTrue(e.getMessage().contains("odd.bicep line 2"), e.getMessage());
    }

    @Test
    void anUnreadDeclarationKindFailsInsteadOfBeingSkipped() {
        AssertionError e =
                assertThrows(
                        AssertionError.class,
                        () -> BicepFile.of("f.bicep", "func double(x int) int => x * 2\n"));
        assertTrue(e.getMessage().contains("does not read 'func'"), e.getMessage());
    }

    @Test
    void anObjectLineThatIsNotAKeyIsRefused() {
        AssertionError e =
                assertThrows(AssertionError.class, () -> BicepFile.properties("{\n  a: 1\n  c\n}"));
        assertTrue(e.getMessage().contains("one key per line"), e.getMessage());
    }
}
