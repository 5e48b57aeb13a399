package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Log lines carry their run, registry and repository in one shape that telemetry reads back. */
class RunLogTest {
    @Test
    void theFieldsOfALineAreReadBackAndTheRestIsTheMessage() {
        String line =
                RunLog.line(
                        "20261123T000000Z-7f3a",
                        "reg.example.io",
                        "team-a/api",
                        "planned 3 manifests");
        assertEquals(
                new RunLog.Fields(
                        "20261123T000000Z-7f3a",
                        "reg.example.io",
                        "team-a/api",
                        "planned 3 manifests"),
                RunLog.fields(line));
    }

    @Test
    void aRunLevelLineHasNoRegistryOrRepository() {
        assertEquals(
                new RunLog.Fields("r1", null, null, "run started by timer"),
                RunLog.fields(RunLog.line("r1", null, null, "run started by timer")));
        assertEquals(
                new RunLog.Fields("r1", "reg", null, "cannot list"),
                RunLog.fields(RunLog.line("r1", "reg", null, "cannot list")));
    }

    @Test
    void aLineOfAnotherShapeIsAllMessage() {
        assertEquals(
                new RunLog.Fields(null, null, null, "queue message moved to poison"),
                RunLog.fields("queue message moved to poison"));
        assertEquals(new RunLog.Fields(null, null, null, ""), RunLog.fields(null));
    }
}
