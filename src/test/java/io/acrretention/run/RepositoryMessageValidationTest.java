package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names from a queue message go into URLs, blob paths and logs: they must follow the grammar first.
 */
class RepositoryMessageValidationTest {
    static String message(String registry, String repository) {
        return Json.MAPPER
                .createObjectNode()
                .put("version", 1)
                .put("runId", "20261123T000000Z-7f3a")
                .put("registry", registry)
                .put("repository", repository)
                .put("inventory", "inventory/20261123T000000Z-7f3a.json")
                .put("mode", "dry-run")
                .toString();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../../runs/x",
                "app/../secrets",
                "App/Api",
                "app//api",
                "/app",
                "app/",
                "app api",
                "app\napi",
                "app/api\u202e",
                "-app",
                "app/api?x=1",
                "app%2fapi"
            })
    void aRepositoryOutsideTheDistributionGrammarIsAnInvalidMessageWithTheReason(
            String repository) {
        var e =
                assertThrows(
                        RepositoryMessage.InvalidMessageException.class,
                        () -> RepositoryMessage.parse(message("mactemp.azurecr.io", repository)));

        assertTrue(
                e.getMessage().contains("'repository' is not a repository name"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mactemp.azurecr.io/x", "evil.example\n2026 INFO", "user@host", "a b"})
    void aRegistryThatIsNotHostAndPortIsAnInvalidMessage(String registry) {
        var e =
                assertThrows(
                        RepositoryMessage.InvalidMessageException.class,
                        () -> RepositoryMessage.parse(message(registry, "app/api")));

        assertTrue(e.getMessage().contains("'registry' is not a registry name"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "team-a/app/api", "a.b_c__d--e/f", "tools/cli"})
    void validNamesParse(String repository) {
        assertEquals(
                repository,
                RepositoryMessage.parse(message("127.0.0.1:8443", repository)).repository());
    }

    @org.junit.jupiter.api.Test
    void aRepositoryLongerThan255CharactersIsInvalid() {
        assertThrows(
                RepositoryMessage.InvalidMessageException.class,
                () -> RepositoryMessage.parse(message("mactemp.azurecr.io", "a".repeat(256))));
    }
}
