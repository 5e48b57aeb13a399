package io.acrretention.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every issuer entry must narrow who is let in; the server does not start with one that does not.
 */
class IssuerRulesTest {
    static final String GITHUB = "https://token.actions.githubusercontent.com";
    static final String ENTRA_V1 = "https://sts.windows.net/00000000-0000-0000-0000-000000000000/";
    static final String ENTRA_V2 =
            "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0";
    static final String TID = "00000000-0000-0000-0000-000000000000";

    static ServerConfig parse(String issuer, String audience, String extra) {
        return ServerConfig.parse(
                "{\"issuers\": [{\"issuer\": \""
                        + issuer
                        + "\", \"audiences\": [\""
                        + audience
                        + "\"]"
                        + extra
                        + "}]}",
                "inventory.json",
                Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"));
    }

    static String refused(String issuer, String audience, String extra) {
        ConfigException e =
                assertThrows(ConfigException.class, () -> parse(issuer, audience, extra));
        return String.join("\n", e.problems());
    }

    @ParameterizedTest
    @ValueSource(strings = {GITHUB, ENTRA_V1, "https://issuer.example.com"})
    void anIssuerWithoutClaimsIsRefusedAtStartUpNamingTheIssuer(String issuer) {
        String problems = refused(issuer, "api://inventory", "");

        assertTrue(
                problems.contains("issuers[0].claims: is required for issuer " + issuer), problems);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                // names can be registered again by someone else
                "'repository': 'contoso/platform', 'ref': 'refs/heads/main'|needs repository_id or repository_owner_id",
                "'repository_owner': 'contoso', 'ref': 'refs/heads/main'|needs repository_id or repository_owner_id",
                // every branch and pull request of the repository
                "'repository_id': '681234567'|needs ref, environment or job_workflow_ref"
            })
    void aGithubActionsIssuerNeedsARepositoryIdAndARefEnvironmentOrWorkflow(
            String claims, String problem) {
        String problems =
                refused(
                        GITHUB,
                        "acr-retention-inventory",
                        ", \"claims\": {" + claims.replace('\'', '"') + "}");

        assertTrue(
                problems.contains(
                        "issuers[0].claims: issuer " + GITHUB + " (GitHub Actions) " + problem),
                problems);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "'repository_id': '1', 'ref': 'refs/heads/main'",
                "'repository_owner_id': '2', 'environment': 'production'",
                "'repository_id': '1', 'job_workflow_ref': 'contoso/wf/.github/workflows/r.yml@refs/heads/main'"
            })
    void aGithubActionsIssuerWithTheMinimumSetIsAccepted(String claims) {
        assertDoesNotThrow(
                () ->
                        parse(
                                GITHUB,
                                "acr-retention-inventory",
                                ", \"claims\": {" + claims.replace('\'', '"') + "}"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'oid': '11111111-1111-1111-1111-111111111111'|(Entra ID) needs tid",
                "'tid': '" + TID + "'|(Entra ID) needs an oid, appid or azp allow-list",
                "'tid': '"
                        + TID
                        + "', 'groups': 'readers'|(Entra ID) needs an oid, appid or azp allow-list"
            })
    void anEntraIssuerNeedsTheTenantAndAnIdentityAllowList(String claims, String problem) {
        String problems =
                refused(
                        ENTRA_V1,
                        "api://inventory",
                        ", \"claims\": {" + claims.replace('\'', '"') + "}");

        assertTrue(
                problems.contains("issuers[0].claims: issuer " + ENTRA_V1 + " " + problem),
                problems);
    }

    @Test
    void anEntraTidAllowListForAnotherTenantThanTheIssuersIsRefused() {
        String problems =
                refused(
                        ENTRA_V1,
                        "api://inventory",
                        ", \"claims\": {\"tid\": \"99999999-0000-0000-0000-000000000000\", \"appid\": \"a\"}");

        assertTrue(
                problems.contains("issuers[0].claims.tid: must be the issuer's own tenant " + TID),
                problems);
    }

    @Test
    void anEntraV2IssuerWantsTheClientIdGuidAsAudienceNotTheApplicationIdUri() {
        String claims =
                ", \"claims\": {\"tid\": \""
                        + TID
                        + "\", \"azp\": \"11111111-1111-1111-1111-111111111111\"}";

        String problems = refused(ENTRA_V2, "api://acr-retention-inventory", claims);

        assertTrue(
                problems.contains(
                        "issuers[0].audiences: issuer " + ENTRA_V2 + " issues v2.0 tokens"),
                problems);
        assertDoesNotThrow(() -> parse(ENTRA_V2, "22222222-2222-2222-2222-222222222222", claims));
    }

    @Test
    void aStatedProviderThatContradictsTheIssuerUrlIsRefused() {
        String problems =
                refused(
                        GITHUB,
                        "x",
                        ", \"provider\": \"other\", \"claims\": {\"sub\": \"repo:contoso/x\"}");

        assertTrue(
                problems.contains(
                        "issuers[0].provider: is 'other', but "
                                + GITHUB
                                + " belongs to github-actions"),
                problems);
    }

    @Test
    void aGithubEnterpriseServerIssuerStatesItsProviderAndGetsTheSameMinimum() {
        String problems =
                refused(
                        "https://ghes.example.com/_services/token",
                        "x",
                        ", \"provider\": \"github-actions\", \"claims\": {\"repository\": \"contoso/x\", \"ref\": \"refs/heads/main\"}");

        assertTrue(problems.contains("needs repository_id or repository_owner_id"), problems);
    }
}
