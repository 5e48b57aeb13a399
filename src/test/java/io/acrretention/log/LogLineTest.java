package io.acrretention.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Log lines carry their run, registry and repository in one shape that telemetry reads back. */
class LogLineTest {
    @Test
    void theFieldsOfALineAreReadBackAndTheRestIsTheMessage() {
        String line =
                LogLine.of(
                        "20261123T000000Z-7f3a",
                        "reg.example.io",
                        "team-a/api",
                        "planned 3 manifests");
        assertEquals(
                new LogLine.Fields(
                        "20261123T000000Z-7f3a",
                        "reg.example.io",
                        "team-a/api",
                        "planned 3 manifests"),
                LogLine.fields(line));
    }

    @Test
    void aRunLevelLineHasNoRegistryOrRepository() {
        assertEquals(
                new LogLine.Fields("r1", null, null, "run started by timer"),
                LogLine.fields(LogLine.of("r1", null, null, "run started by timer")));
        assertEquals(
                new LogLine.Fields("r1", "reg", null, "cannot list"),
                LogLine.fields(LogLine.of("r1", "reg", null, "cannot list")));
    }

    @Test
    void aLineOfAnotherShapeIsAllMessage() {
        assertEquals(
                new LogLine.Fields(null, null, null, "queue message moved to poison"),
                LogLine.fields("queue message moved to poison"));
        assertEquals(new LogLine.Fields(null, null, null, ""), LogLine.fields(null));
    }
}
