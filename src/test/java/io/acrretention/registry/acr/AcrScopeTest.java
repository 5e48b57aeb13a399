package io.acrretention.registry.acr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AcrScopeTest {
    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
        "GET, /acr/v1/_catalog, registry:catalog:*",
        "GET, /acr/v1/_catalog?last=a&n=100&orderby=, registry:catalog:*",
        "GET, /acr/v1/team%2Fapp, repository:team/app:metadata_read",
        "GET, /acr/v1/team%2Fapp/_manifests?n=100, repository:team/app:metadata_read",
        "GET, /acr/v1/team/app/_tags?last=v1&n=100&orderby=, repository:team/app:metadata_read",
        "GET, /acr/v1/team%2Fapp/_tags/v1, repository:team/app:metadata_read",
        "PATCH, /acr/v1/team%2Fapp/_tags/v1, repository:team/app:metadata_write",
        "DELETE, /acr/v1/team%2Fapp/_tags/v1, repository:team/app:delete",
        "GET, /v2/team%2Fapp/manifests/sha256:ab, repository:team/app:pull",
        "HEAD, /v2/team/app/manifests/v1, repository:team/app:pull",
        "DELETE, /v2/team%2Fapp/manifests/sha256:ab, repository:team/app:delete",
        "PUT, /v2/team%2Fapp/manifests/v1, 'repository:team/app:pull,push'",
        "GET, /v2/a/b/c/referrers/sha256:ab, repository:a/b/c:pull",
    })
    void aRequestsScopeFollowsFromItsMethodAndPath(String method, String path, String scope) {
        HttpRequest request =
                new HttpRequest(HttpMethod.valueOf(method), "https://r.example" + path);
        assertEquals(scope, AcrScope.of(request).wire());
    }

    @ParameterizedTest(name = "{0} {1} is left to its challenge")
    @CsvSource({"GET, /v2/", "GET, /oauth2/token", "POST, /acr/v1/team%2Fapp"})
    void aRequestItCannotPlaceHasNoScope(String method, String path) {
        assertNull(
                AcrScope.of(
                        new HttpRequest(HttpMethod.valueOf(method), "https://r.example" + path)));
    }

    @Test
    void aChallengeNamesTheScopeAndTheServiceWhateverElseItCarries() {
        AcrScope.Challenge c =
                AcrScope.challenge(
                        "Bearer realm=\"https://r.azurecr.io/oauth2/token\",service=\"r.azurecr.io\","
                                + "scope=\"repository:library/hello-world:metadata_read,pull\","
                                + "error=\"invalid_token\"");
        assertEquals("r.azurecr.io", c.service());
        assertEquals(
                new AcrScope("repository:library/hello-world", Set.of("pull", "metadata_read")),
                c.scope());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Basic realm=\"x\"",
                "Bearer realm=\"https://r/oauth2/token\",service=\"r\"",
                "Bearer realm=\"https://r/oauth2/token\",scope=\"repository:a:pull\""
            })
    void aChallengeWithoutBearerScopeOrServiceIsNoChallengeToAnswer(String header) {
        assertNull(AcrScope.challenge(header));
    }
}
