package io.acrretention.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A token goes only where its audience belongs: each forbidden pairing is a config error naming the
 * path.
 */
class AudienceRulesTest {
    static final String REGISTRY = "{\"endpoint\": \"https://mactemp.azurecr.io\"}";

    static RetentionConfig parse(String registry, String cluster) {
        return ConfigParser.parse(
                "{\"registries\": ["
                        + registry
                        + "], \"clusters\": ["
                        + cluster.replace('\'', '"')
                        + "]}",
                "config.json");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "https://management.azure.com",
                "https://management.azure.com/",
                "https://management.core.windows.net/",
                "https://management.azure.com/.default",
                "HTTPS://MANAGEMENT.AZURE.COM",
                "https://storage.azure.com",
                "https://mystorage.blob.core.windows.net",
                "https://vault.azure.net",
                "https://myvault.vault.azure.net",
                "https://graph.microsoft.com",
                "https://login.microsoftonline.com",
                "https://database.windows.net/",
                "https://containerregistry.azure.net",
                "https://management.usgovcloudapi.net",
                "797f4846-ba00-4fd7-ba43-dac1f8f63013",
                "00000003-0000-0000-c000-000000000000",
                "6dae42f8-4368-4678-94ff-3960e28e3630",
                "api://6dae42f8-4368-4678-94ff-3960e28e3630"
            })
    void anEndpointNeverGetsATokenForAnAzureResource(String audience) {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                parse(
                                        REGISTRY,
                                        "{'name': 'edge', 'kind': "
                                                + "'endpoint', 'url': 'https://inventory.example.com/images', 'audience': '"
                                                + audience
                                                + "'}"));

        String all = String.join("\n", e.problems());
        assertTrue(
                all.contains(
                        "clusters[0].audience: '" + audience + "' is an Azure resource's audience"),
                all);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{'name': 'k', 'server': 'https://k8s.example.com', 'caFile': 'ca.pem'}|is the AKS audience by default",
                "{'name': 'k', 'server': 'https://10.0.0.1:6443', 'caData': 'x', 'audience': '6dae42f8-4368-4678-94ff-3960e28e3630'}|is the AKS audience",
                "{'name': 'k', 'server': 'https://prod.hcp.westeurope.azmk8s.io.evil.example', 'caFile': 'ca.pem'}|is the AKS audience by default",
                "{'name': 'k', 'server': 'https://k8s.example.com', 'caFile': 'ca.pem', 'audience': 'https://management.azure.com'}|is an Azure resource's audience"
            })
    void theAksAudienceGoesOnlyToAksServersAndNoOtherAzureAudienceToAKubernetesServer(
            String cluster, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(REGISTRY, cluster));

        String all = String.join("\n", e.problems());
        assertTrue(all.contains("clusters[0].audience: ") && all.contains(problem), all);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{'name': 'k', 'server': 'https://prod-abc.hcp.westeurope.azmk8s.io:443', 'caFile': 'ca.pem'}",
                "{'name': 'k', 'server': 'https://prod-abc.privatelink.westeurope.azmk8s.io', 'caFile': 'ca.pem'}",
                "{'name': 'k', 'resourceId': '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod'}",
                "{'name': 'k', 'server': 'https://k8s.example.com', 'caFile': 'ca.pem', 'audience': 'api://k8s-example'}",
                "{'name': 'e', 'kind': 'endpoint', 'url': 'https://inventory.example.com/images', 'audience': 'api://inventory'}",
                "{'name': 'e', 'kind': 'endpoint', 'url': 'https://inventory.example.com/images', 'audience': '22222222-2222-2222-2222-222222222222'}"
            })
    void ownAudiencesAndTheAksAudienceOnAksAreAccepted(String cluster) {
        assertDoesNotThrow(() -> parse(REGISTRY, cluster));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "https://mactemp.azurecr.io|https://vault.azure.net|must be an ACR or Resource Manager audience",
                "https://mactemp.azurecr.io|api://anything|must be an ACR or Resource Manager audience",
                "https://registry.example.com|https://management.azure.com|a Resource Manager token is exchanged only with an Azure registry",
                "https://mactemp.azurecr.io.example.com|https://management.azure.com|a Resource Manager token is exchanged only"
            })
    void aRegistryAsksOnlyForAcrOrResourceManagerTokensAndResourceManagerOnlyFromAzure(
            String endpoint, String audience, String problem) {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                parse(
                                        "{\"endpoint\": \""
                                                + endpoint
                                                + "\", \"audience\": \""
                                                + audience
                                                + "\"}",
                                        "{'name': 'e', 'kind': 'endpoint', 'url': "
                                                + "'https://i.example.com/images', 'audience': 'api://inventory'}"));

        String all = String.join("\n", e.problems());
        assertTrue(all.contains("registries[0].audience: " + problem), all);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "https://mactemp.azurecr.io|https://management.azure.com",
                "https://mactemp.privatelink.azurecr.io|https://management.azure.com/",
                "https://127.0.0.1:8443|https://containerregistry.azure.net"
            })
    void acrAndResourceManagerAudiencesAreAcceptedForRegistries(String endpoint, String audience) {
        assertDoesNotThrow(
                () ->
                        parse(
                                "{\"endpoint\": \""
                                        + endpoint
                                        + "\", \"audience\": \""
                                        + audience
                                        + "\"}",
                                "{'name': 'e', 'kind': 'endpoint', 'url': 'https://i.example.com/images', 'audience': 'api://inv'}"));
    }
}
