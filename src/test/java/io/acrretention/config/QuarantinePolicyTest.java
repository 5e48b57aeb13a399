package io.acrretention.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.retention.RetentionPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuarantinePolicyTest {
    @Test
    void quarantineIsOffUnlessConfigured() {
        assertFalse(PolicyParser.parse("{}").base().quarantines());
    }

    @Test
    void aGraceTurnsQuarantineOnAndAnOverrideMayChangeOrSwitchItOff() {
        RetentionPolicy p =
                PolicyParser.parse(
                        """
                {"quarantine": {"grace": "P14D"}, "overrides": [
                  {"repositories": ["team-a/**"], "quarantine": {"grace": "P30D"}},
                  {"repositories": ["scratch/**"], "quarantine": false},
                  {"repositories": ["team-b/**"], "keepRecent": 3}]}""");
        assertEquals(Duration.ofDays(14), p.base().quarantineGrace());
        assertEquals(Duration.ofDays(30), p.forRepository("team-a/api").quarantineGrace());
        assertNull(p.forRepository("scratch/x").quarantineGrace());
        assertEquals(
                Duration.ofDays(14),
                p.forRepository("team-b/api").quarantineGrace(),
                "inherited from the base");
        assertTrue(
                p.withBaseMode(io.acrretention.retention.Mode.DELETE).base().quarantines(),
                "a mode change keeps it");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"quarantine\": {}}                                | policy.quarantine.grace: is required",
                "{\"quarantine\": {\"grace\": \"14 days\"}}          | policy.quarantine.grace: not an ISO-8601 duration: '14 days'",
                "{\"quarantine\": {\"grace\": \"P0D\"}}              | policy.quarantine.grace: must be longer than zero, got 'P0D'",
                "{\"quarantine\": {\"grace\": \"-P1D\"}}             | policy.quarantine.grace: must not be negative",
                "{\"quarantine\": {\"grace\": \"P1D\", \"x\": 1}}    | policy.quarantine.x: unknown key (known: grace)",
                "{\"quarantine\": \"P14D\"}                          | policy.quarantine: must be an object like {\"grace\": \"P14D\"}, or false",
                "{\"overrides\": [{\"repositories\": [\"a\"], \"quarantine\": {\"grace\": \"PT0S\"}}]} | policy.overrides[0].quarantine.grace: must be longer than zero"
            })
    void aBadQuarantineNamesItsPathAndValue(String json, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> PolicyParser.parse(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
