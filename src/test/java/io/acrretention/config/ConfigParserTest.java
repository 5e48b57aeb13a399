package io.acrretention.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.retention.Mode;
import io.acrretention.retention.RepositoryPolicy;
import io.acrretention.retention.RetentionPolicy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigParserTest {
    private static final String MINIMAL =
            """
            {"registries": [{"endpoint": "https://mactemp.azurecr.io"}],
             "clusters": [{"name": "prod", "kind": "endpoint", "url": "https://inv.example.com/images",
                           "audience": "api://inv"}]}""";

    @Test
    void anEmptyPolicyGetsTheDefaultsOfTheOriginalScript() {
        RetentionPolicy p = ConfigParser.parse(MINIMAL, "test").policy();
        RepositoryPolicy rules = p.base();
        assertEquals(Mode.DRY_RUN, rules.mode());
        assertEquals("latest", rules.keepTags().get(0).pattern());
        assertEquals(10, rules.keepRecent());
        assertEquals(10, rules.keepRecentPerBranch().get(0).keep());
        assertTrue(rules.keepRecentPerBranch().get(0).matches("master"));
        assertEquals(Duration.ofDays(90), rules.keepYoungerThan());
        assertEquals(RepositoryPolicy.Untagged.KEEP, rules.untagged());
        assertEquals(1, p.minUsedImages());
        assertEquals(1000, p.maxDeletesPerRun());
        assertEquals(Duration.ofHours(6), rules.maxInventoryAge());
        assertEquals("main", rules.tagScheme().branchOf("2.1.24-3e158f8-main").orElseThrow());
        assertEquals(
                "feature/x-1",
                rules.tagScheme().branchOf("2.1.23-9c4b0a9-feature/x-1").orElseThrow());
    }

    @Test
    void theLoginServerIsTheEndpointAuthorityUnlessGiven() {
        RetentionConfig c =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://MacTemp.azurecr.io"},
                                {"endpoint": "https://127.0.0.1:8443", "loginServer": "other.azurecr.io"}],
                 "clusters": []}""",
                        "test");
        assertEquals("mactemp.azurecr.io", c.registries().get(0).loginServer());
        assertEquals("other.azurecr.io", c.registries().get(1).loginServer());
        assertEquals(8443, c.registries().get(1).endpoint().getPort());
    }

    @Test
    void registryNamesAndAliasesAreKeptInOneNormalForm() {
        RetentionConfig c =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://MacTemp.azurecr.io:443", "aliases": ["Mirror.Example.com:443", "proxy:5000"]}],
                 "clusters": []}""",
                        "test");
        assertEquals("mactemp.azurecr.io", c.registries().get(0).loginServer());
        assertEquals(List.of("mirror.example.com", "proxy:5000"), c.registries().get(0).aliases());
        assertEquals(
                "mactemp.azurecr.io", c.registry("MIRROR.example.com").orElseThrow().loginServer());
        assertEquals(
                "mactemp.azurecr.io",
                c.registry("mactemp.azurecr.io:443").orElseThrow().loginServer());
    }

    @Test
    void aKubernetesClusterNamesItsCustomResourcesAndAMinimumOfImages() {
        RetentionConfig c =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://mactemp.azurecr.io"}],
                 "clusters": [{"name": "prod", "server": "https://prod.hcp.westeurope.azmk8s.io:443", "caFile": "ca.pem", "minImages": 200,
                               "extraResources": [{"group": "argoproj.io", "version": "v1alpha1", "resource": "rollouts"}]}]}""",
                        "test");
        assertEquals(
                List.of(new ExtraResource("argoproj.io", "v1alpha1", "rollouts")),
                c.clusters().get(0).extraResources());
        assertEquals(200, c.clusters().get(0).minImages());
        assertEquals(
                "/apis/argoproj.io/v1alpha1/rollouts",
                c.clusters().get(0).extraResources().get(0).path());
    }

    @Test
    void aClusterNeedsItsCaOrAResourceId() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                ConfigParser.parse(
                                        """
                {"registries": [{"endpoint": "https://a.azurecr.io"}],
                 "clusters": [{"name": "prod", "server": "https://prod.hcp.westeurope.azmk8s.io:443"}]}""",
                                        "f.json"));
        assertTrue(e.getMessage().contains("clusters[0]: needs the cluster CA"), e.getMessage());
        assertTrue(e.getMessage().contains("in f.json"));
    }

    @Test
    void overridesApplyToTheRepositoriesTheirGlobsMatch() {
        RetentionPolicy p =
                PolicyParser.parse(
                        """
                {"keepRecent": 5, "overrides": [
                   {"repositories": ["team-a/**"], "keepRecent": 20},
                   {"repositories": ["team-a/legacy"], "untagged": "delete"}]}""");
        assertEquals(5, p.forRepository("team-b/api").keepRecent());
        assertEquals(20, p.forRepository("team-a/api").keepRecent());
        assertEquals(20, p.forRepository("team-a/x/y").keepRecent());
        // The last matching override wins, on top of the base policy.
        assertEquals(RepositoryPolicy.Untagged.DELETE, p.forRepository("team-a/legacy").untagged());
        assertEquals(5, p.forRepository("team-a/legacy").keepRecent());
    }

    @Test
    void includeAndExcludeGlobsSelectRepositories() {
        RetentionPolicy p =
                PolicyParser.parse(
                        """
                {"repositories": {"include": ["app/**", "tools/*"], "exclude": ["app/keep-*"]}}""");
        assertTrue(p.selects("app/api"));
        assertTrue(p.selects("app/x/y"));
        assertTrue(p.selects("tools/lint"));
        assertTrue(!p.selects("tools/a/b"));
        assertTrue(!p.selects("app/keep-forever"));
        assertTrue(!p.selects("other"));
    }

    @Test
    void aRequestCanNarrowARunToDryRunButNeverWidenIt() {
        assertEquals(Mode.DRY_RUN, Mode.DELETE.narrowedBy(Mode.DRY_RUN));
        assertEquals(Mode.DRY_RUN, Mode.DRY_RUN.narrowedBy(Mode.DELETE));
        assertEquals(Mode.DELETE, Mode.DELETE.narrowedBy(Mode.DELETE));
    }

    /** Each bad policy names the JSON path and quotes the bad value. */
    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            {"keepRecnt": 5}                                         | policy.keepRecnt: unknown key
            {"keepTags": ["latest", "(unclosed"]}                    | policy.keepTags[1]: invalid regex '(unclosed'
            {"keepRecent": -1}                                       | policy.keepRecent: must not be negative, got -1
            {"keepRecent": "ten"}                                    | policy.keepRecent: must be a whole number
            {"keepYoungerThan": "90 days"}                           | policy.keepYoungerThan: not an ISO-8601 duration: '90 days'
            {"keepYoungerThan": "P3M"}                               | policy.keepYoungerThan: not an ISO-8601 duration: 'P3M'
            {"maxInventoryAge": "-PT1H"}                             | policy.maxInventoryAge: must not be negative
            {"mode": "yolo"}                                         | policy.mode: must be 'dry-run' or 'delete', got 'yolo'
            {"mode": "Delete"}                                       | policy.mode: must be 'dry-run' or 'delete', got 'Delete'
            {"tagScheme": "^(.+)-(.+)$"}                             | policy.tagScheme: '^(.+)-(.+)$' needs a named group (?<branch>...)
            {"tagScheme": "^(?<branch>[a-z$"}                        | policy.tagScheme: invalid regex
            {"keepRecentPerBranch": [{"branch": "main", "keep": -2}]} | policy.keepRecentPerBranch[0].keep: must not be negative, got -2
            {"keepRecentPerBranch": [{"branch": "[", "keep": 2}]}    | policy.keepRecentPerBranch[0].branch: invalid regex '['
            {"keepRecentPerBranch": [{"keep": 2}]}                   | policy.keepRecentPerBranch[0].branch: is required
            {"keepRecentPerBranch": [{"branch": "x", "keep": 2, "eatch": true}]} | policy.keepRecentPerBranch[0].eatch: unknown key
            {"untagged": "purge"}                                    | policy.untagged: must be 'keep' or 'delete', got 'purge'
            {"keepUsed": false}                                      | policy.keepUsed: must be true
            {"repositories": {"include": ["a"], "exlude": ["b"]}}    | policy.repositories.exlude: unknown key
            {"overrides": [{"keepRecent": 3}]}                       | policy.overrides[0].repositories: must be a non-empty array
            {"overrides": [{"repositories": ["a/**"], "maxDeletesPerRun": 5}]} | policy.overrides[0].maxDeletesPerRun: is run-wide
            {"overrides": [{"repositories": ["a/**"], "keepRecent": -3}]} | policy.overrides[0].keepRecent: must not be negative
            {"minUsedImages": 1.5}                                   | policy.minUsedImages: must be a whole number
            {"maxUsedImagesDrop": 1.5}                               | policy.maxUsedImagesDrop: must be a fraction from 0 to 1
            {"maxUsedImagesDrop": "half"}                            | policy.maxUsedImagesDrop: must be a fraction from 0 to 1
            {"overrides": [{"repositories": ["a/**"], "maxUsedImagesDrop": 0.9}]} | policy.overrides[0].maxUsedImagesDrop: is run-wide
            """)
    void aBadPolicyNamesThePathAndTheValue(String json, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> PolicyParser.parse(json));
        assertTrue(
                e.getMessage().contains(expected),
                () -> e.getMessage() + "\n  should contain: " + expected);
    }

    @Test
    void everyProblemIsReportedAtOnceNotJustTheFirst() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                PolicyParser.parse(
                                        "{\"keepRecent\": -1, \"mode\": \"x\", \"bogus\": 1}"));
        assertEquals(3, e.problems().size(), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            not json                                                         | not valid JSON
            []                                                               | $: must be a JSON object
            {"registries": []}                                               | registries: must be a non-empty array
            {"registries": [{"endpoint": "http://a.azurecr.io"}], "clusters": []} | registries[0].endpoint: must be an https:// URL
            {"registries": [{"endpoint": "https://a.azurecr.io"}, {"endpoint": "https://A.azurecr.io"}], "clusters": []} | registries[1].loginServer: registry name 'a.azurecr.io' is configured twice (first at registries[0].loginServer)
            {"registries": [{"endpoint": "https://a.azurecr.io"}]}           | clusters: must be an array
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [{"name": "x", "kind": "eks"}]} | clusters[0].kind: must be 'kubernetes' or 'endpoint', got 'eks'
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [{"name": "x", "kind": "endpoint", "url": "https://i/x"}]} | clusters[0].audience: is required
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [{"name": "x", "resourceId": "/subscriptions/s/oops"}]} | clusters[0].resourceId: must be an AKS cluster resource id
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [], "limits": {"deleteConcurrency": 0}} | limits.deleteConcurrency: must be between 1 and 64, got 0
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [], "limits": {"clusterTimeout": "60s"}} | limits.clusterTimeout: not an ISO-8601 duration
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [], "extra": 1} | $.extra: unknown key
            {"registries": [{"endpoint": "https://a.azurecr.io", "aliases": ["mirror/x"]}], "clusters": []} | registries[0].aliases[0]: must be host[:port], got 'mirror/x'
            {"registries": [{"endpoint": "https://a.azurecr.io", "aliases": ["A.azurecr.io:443"]}], "clusters": []} | registries[0].aliases[0]: registry name 'a.azurecr.io' is configured twice (first at registries[0].loginServer)
            {"registries": [{"endpoint": "https://a.azurecr.io", "aliases": ["m.io"]}, {"endpoint": "https://b.azurecr.io", "aliases": ["M.io"]}], "clusters": []} | registries[1].aliases[0]: registry name 'm.io' is configured twice (first at registries[0].aliases[0])
            {"registries": [{"endpoint": "https://a.azurecr.io", "aliases": "m.io"}], "clusters": []} | registries[0].aliases: must be an array of strings
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [{"name": "x", "resourceId": "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/x", "extraResources": [{"group": "argoproj.io", "version": "v1alpha1"}]}]} | clusters[0].extraResources[0].resource: must be the plural resource name
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [{"name": "x", "resourceId": "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/x", "extraResources": [{"group": "apps", "version": "v1", "resource": "rollouts"}]}]} | clusters[0].extraResources[0].group: must be an API group such as 'argoproj.io', got string "apps"
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [{"name": "x", "resourceId": "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/x", "extraResources": [{"group": "keda.sh", "version": "1", "resource": "scaledjobs"}]}]} | clusters[0].extraResources[0].version: must be an API version
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [{"name": "x", "resourceId": "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/x", "extraResources": [{"group": "keda.sh", "version": "v1alpha1", "resource": "scaledjobs"}, {"group": "keda.sh", "version": "v1alpha1", "resource": "scaledjobs"}]}]} | clusters[0].extraResources[1]: 'scaledjobs.keda.sh/v1alpha1' is listed twice
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [{"name": "x", "kind": "endpoint", "url": "https://i/x", "audience": "a", "extraResources": []}]} | clusters[0].extraResources: unknown key
            {"registries": [{"endpoint": "https://a.azurecr.io"}], "clusters": [{"name": "x", "kind": "endpoint", "url": "https://i/x", "audience": "a", "minImages": -1}]} | clusters[0].minImages: must not be negative
            """)
    void aBadConfigurationNamesThePathAndTheValue(String json, String expected) {
        ConfigException e =
                assertThrows(
                        ConfigException.class, () -> ConfigParser.parse(json, "RETENTION_CONFIG"));
        assertTrue(
                e.getMessage().contains(expected),
                () -> e.getMessage() + "\n  should contain: " + expected);
        assertTrue(e.getMessage().contains("RETENTION_CONFIG"));
    }

    @Test
    void aGoodConfigurationParsesEveryClusterKind() {
        RetentionConfig c =
                ConfigParser.parse(
                        """
                {"registries": [{"endpoint": "https://mactemp.azurecr.io"}],
                 "clusters": [
                   {"name": "prod", "kind": "kubernetes", "server": "https://prod.hcp.westeurope.azmk8s.io:443", "caFile": "prod-ca.pem"},
                   {"name": "prod2", "kind": "kubernetes", "resourceId": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod2"},
                   {"name": "edge", "kind": "endpoint", "url": "https://inventory.edge.example.com/images", "audience": "api://edge-inventory"}],
                 "policy": {"mode": "delete", "keepRecent": 3},
                 "limits": {"clusterTimeout": "PT30S", "deleteConcurrency": 4}}""",
                        "test");
        assertEquals(
                List.of("prod", "prod2", "edge"),
                c.clusters().stream().map(ClusterConfig::name).toList());
        assertEquals(ClusterConfig.AKS_AUDIENCE, c.clusters().get(0).audience());
        assertEquals(ClusterConfig.Kind.ENDPOINT, c.clusters().get(2).kind());
        assertEquals(Mode.DELETE, c.policy().base().mode());
        assertEquals(Duration.ofSeconds(30), c.limits().clusterTimeout());
        assertEquals(4, c.limits().deleteConcurrency());
    }
}
