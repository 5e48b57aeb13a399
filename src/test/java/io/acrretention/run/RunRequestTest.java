package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A run request is written and read by one type; one that can never start a run says why. */
class RunRequestTest {
    static final RetentionConfig CONFIG =
            ConfigParser.parse(
                    """
                    {"registries": [{"endpoint": "https://demo.azurecr.io",
                                     "aliases": ["mirror.example.com"]}],
                     "clusters": [{"name": "prod", "kind": "endpoint",
                                   "url": "https://inventory.example.com/images",
                                   "audience": "api://inventory"}]}""",
                    "test");
    static final Instant AT = Instant.parse("2026-11-23T00:00:00Z");

    @Test
    void aRequestReadsBackAsTheRunAndSelectionItWasWrittenWith() {
        RunSelection asked =
                RunSelection.parse(
                        "{\"registries\": [\"mirror.example.com\"], \"repositories\":"
                                + " [\"app/**\"], \"mode\": \"dry-run\"}",
                        CONFIG);
        RunRequest written = new RunRequest("20261123T000000Z-7f3a", AT, asked);

        RunRequest read = RunRequest.parse(written.toJson(), CONFIG);

        assertEquals("20261123T000000Z-7f3a", read.runId());
        assertEquals(AT, read.requestedAt());
        assertEquals(List.of("demo.azurecr.io"), read.selection().registries());
        assertEquals("app/**", read.selection().repositories().get(0).toString());
        assertTrue(read.selection().dryRun());
    }

    @Test
    void aRequestQueuedWithTheBodyAsTheCallerSentItStillStartsItsRun() {
        RunRequest read =
                RunRequest.parse(
                        "{\"version\": 1, \"runId\": \"20261123T000000Z-7f3a\", \"requestedAt\":"
                                + " \"2026-11-23T00:00:00Z\", \"scope\": {}}",
                        CONFIG);

        assertEquals(List.of(), read.selection().registries());
        assertEquals(false, read.selection().dryRun());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json                   | is not JSON",
                "[1]                        | must be a JSON object",
                "{\"version\": 2, \"runId\": \"20261123T000000Z-7f3a\", \"requestedAt\":"
                        + " \"2026-11-23T00:00:00Z\", \"scope\": {}} | unknown version 2",
                "{\"version\": 1, \"runId\": \"../x\", \"requestedAt\": \"2026-11-23T00:00:00Z\","
                        + " \"scope\": {}} | 'runId' must be a run id",
                "{\"version\": 1, \"runId\": \"20261123T000000Z-7f3a\", \"scope\": {}}"
                        + " | 'requestedAt' must be an ISO-8601 instant",
                "{\"version\": 1, \"runId\": \"20261123T000000Z-7f3a\", \"requestedAt\":"
                        + " \"2026-11-23T00:00:00Z\"} | 'scope' must be a JSON object",
                "{\"version\": 1, \"runId\": \"20261123T000000Z-7f3a\", \"requestedAt\":"
                        + " \"2026-11-23T00:00:00Z\", \"scope\": {}, \"mode\": \"delete\"}"
                        + " | unknown key 'mode'",
                "{\"version\": 1, \"runId\": \"20261123T000000Z-7f3a\", \"requestedAt\":"
                        + " \"2026-11-23T00:00:00Z\", \"scope\": {\"registries\":"
                        + " [\"gone.azurecr.io\"]}} | 'gone.azurecr.io' is not a configured registry",
                "{\"version\": 1, \"runId\": \"20261123T000000Z-7f3a\", \"requestedAt\":"
                        + " \"2026-11-23T00:00:00Z\", \"scope\": {\"mode\": \"delete\"}}"
                        + " | a request can only ask for 'dry-run'"
            })
    void aRequestThatCanNeverStartARunIsInvalidAndSaysWhy(String message, String reason) {
        var e =
                assertThrows(
                        RunRequest.InvalidRunRequestException.class,
                        () -> RunRequest.parse(message, CONFIG));

        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
