package io.acrretention.input;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import io.acrretention.image.ImageReference;
import io.acrretention.quarantine.RestoreRequest;
import io.acrretention.retention.Glob;
import io.acrretention.retention.Mode;
import io.acrretention.retention.TagScheme;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunSelection;
import java.util.stream.Stream;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every parser of what a person or a caller hands us reports bad input as a {@link
 * BadInputException} whose message quotes the input, so the edges can catch that type alone and not
 * every {@link IllegalArgumentException}.
 */
class BadInputTest {
    private static final RetentionConfig CONFIG =
            ConfigParser.parse(
                    """
            {"registries": [{"endpoint": "https://mactemp.azurecr.io"}], "clusters": []}""",
                    "test");

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("a mode", "purge", (Executable) () -> Mode.fromJson("purge")),
                Arguments.of("an empty glob", "empty glob", (Executable) () -> Glob.of("")),
                Arguments.of(
                        "a tag scheme without a branch group",
                        "(?<branch>",
                        (Executable) () -> TagScheme.of("^v\\d+$")),
                Arguments.of(
                        "a run id",
                        "../etc",
                        (Executable) () -> RunDocuments.inventoryPath("../etc")),
                Arguments.of(
                        "a run request",
                        "nowhere.azurecr.io",
                        (Executable)
                                () ->
                                        RunSelection.parse(
                                                "{\"registries\": [\"nowhere.azurecr.io\"]}",
                                                CONFIG)),
                Arguments.of(
                        "an image reference",
                        "app:",
                        (Executable) () -> ImageReference.parse("app:")),
                Arguments.of(
                        "a configuration",
                        "clusterz",
                        (Executable)
                                () ->
                                        ConfigParser.parse(
                                                "{\"registries\": [], \"clusterz\": []}", "test")),
                Arguments.of(
                        "a restore request",
                        "not valid JSON",
                        (Executable) () -> RestoreRequest.parse("{")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsABadInputExceptionThatNamesTheInput(
            String what, String named, Executable parse) {
        BadInputException e = assertThrows(BadInputException.class, parse);
        assertTrue(e.getMessage().contains(named), what + ": " + e.getMessage());
    }
}
