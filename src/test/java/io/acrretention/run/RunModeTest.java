package io.acrretention.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acrretention.config.PolicyParser;
import io.acrretention.retention.Mode;
import io.acrretention.retention.RetentionPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Effective modes per repository, and what a run calls itself. */
class RunModeTest {
    private final RetentionPolicy policy =
            PolicyParser.parse(
                    """
            {"mode": "dry-run", "overrides": [
               {"repositories": ["team-a/**"], "mode": "dry-run", "keepRecent": 20},
               {"repositories": ["team-b/**"], "keepRecent": 30},
               {"repositories": ["team-c/**"], "mode": "delete"}]}""");

    @Test
    void anOverrideWithoutAModeFollowsTheBaseAndOneWithAModeKeepsIt() {
        assertEquals(Mode.DRY_RUN, policy.forRepository("app/api").mode());
        assertEquals(Mode.DRY_RUN, policy.forRepository("team-b/api").mode());
        assertEquals(Mode.DELETE, policy.forRepository("team-c/api").mode());
    }

    @Test
    void liftingTheBaseModeToDeleteNeverLiftsAnOverridesOwnDryRun() {
        RetentionPolicy lifted = policy.withBaseMode(Mode.DELETE);
        assertEquals(Mode.DELETE, lifted.forRepository("app/api").mode());
        assertEquals(Mode.DELETE, lifted.forRepository("team-b/api").mode());
        assertEquals(Mode.DRY_RUN, lifted.forRepository("team-a/api").mode());
        assertEquals(
                Mode.DRY_RUN,
                lifted.forRepository("team-a").mode(),
                "team-a/** covers team-a itself");
        assertEquals(
                20,
                lifted.forRepository("team-a/api").keepRecent(),
                "the override's other settings stay");
    }

    @Test
    void aRunIsDryRunDeleteOrMixedByWhatItsRepositoriesMayDo() {
        assertEquals(RunMode.DRY_RUN, RunMode.of(List.of(Mode.DRY_RUN, Mode.DRY_RUN), Mode.DELETE));
        assertEquals(RunMode.DELETE, RunMode.of(List.of(Mode.DELETE), Mode.DRY_RUN));
        assertEquals(RunMode.MIXED, RunMode.of(List.of(Mode.DRY_RUN, Mode.DELETE), Mode.DRY_RUN));
        assertEquals(RunMode.DRY_RUN, RunMode.of(List.of(), Mode.DRY_RUN));
    }

    @Test
    void aRequestCanOnlyNarrowARepositoryToDryRun() {
        assertEquals(Mode.DRY_RUN, RunSelection.DRY_RUN.narrow(Mode.DELETE));
        assertEquals(Mode.DRY_RUN, RunSelection.EVERYTHING.narrow(Mode.DRY_RUN));
        assertEquals(Mode.DRY_RUN, Mode.DRY_RUN.narrowedBy(Mode.DELETE), "a message cannot widen");
    }
}
