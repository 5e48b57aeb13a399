package io.acrretention.registry.loganalytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import io.acrretention.registry.PullLogException;
import io.acrretention.registry.RecentPulls;
import io.acrretention.registry.RecentPulls.Pull;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.loganalytics.LogAnalyticsEmulator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class LogAnalyticsPullsIT {
    static final TestCertificates CERTS = TestCertificates.create("log-analytics-test-ca");
    static final String WORKSPACE = "0b5f3c1e-0000-4000-8000-000000000001";
    static final String REGISTRY = "myreg.azurecr.io";
    static final Instant NOW = Instant.parse("2026-11-30T00:00:00Z");
    static final Instant SINCE = NOW.minus(Duration.ofDays(30));
    // The app's own token is a JWT whose object and application ids the logs may show as Identity.
    static final String TOKEN = jwt("{\"oid\":\"app-oid\",\"appid\":\"app-client-id\"}");
    static final String D1 = "sha256:" + "1".repeat(64);
    static final String D2 = "sha256:" + "2".repeat(64);

    LogAnalyticsEmulator logs;
    LogAnalyticsPulls client;

    @BeforeEach
    void start() {
        logs = new LogAnalyticsEmulator(CERTS, WORKSPACE, TOKEN);
        TokenCredential credential =
                ctx -> {
                    assertEquals(List.of("https://api.loganalytics.io/.default"), ctx.getScopes());
                    return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
                };
        client = new LogAnalyticsPulls(config(Set.of()), credential, http(), Duration.ofMillis(20));
    }

    private Map<String, LogAnalyticsPulls.Workspace> config(Set<String> excluded) {
        return Map.of(
                REGISTRY,
                new LogAnalyticsPulls.Workspace(
                        WORKSPACE, List.copyOf(excluded), URI.create(logs.base())));
    }

    @AfterEach
    void stop() {
        logs.close();
    }

    private RecentPulls query(Set<String> excluded) {
        if (!excluded.isEmpty()) {
            client =
                    new LogAnalyticsPulls(
                            config(excluded),
                            ctx ->
                                    Mono.just(
                                            new AccessToken(
                                                    TOKEN, OffsetDateTime.now().plusHours(1))),
                            http(),
                            Duration.ofMillis(20));
        }
        return client.lastPulls(REGISTRY, SINCE, NOW);
    }

    private static HttpClient http() {
        return new JdkHttpClientBuilder(
                        java.net.http.HttpClient.newBuilder()
                                .sslContext(CERTS.clientContext())
                                .connectTimeout(Duration.ofSeconds(5)))
                .responseTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static List<Pull> sorted(RecentPulls pulls) {
        return pulls.pulls().stream()
                .sorted(
                        Comparator.comparing(Pull::repository)
                                .thenComparing(p -> String.valueOf(p.digest()))
                                .thenComparing(p -> String.valueOf(p.tag())))
                .toList();
    }

    @Test
    void theLastPullOfEachImageInTheWindowIsReadAndPushesAndOlderPullsAreNot() {
        logs.pull(NOW.minus(Duration.ofDays(40)), REGISTRY, "ci", "app/api", "", D2);
        logs.pull(NOW.minus(Duration.ofDays(3)), REGISTRY, "ci", "app/api", "", D1);
        logs.pull(NOW.minus(Duration.ofDays(2)), REGISTRY, "ci", "app/api", "", D1);
        logs.push(NOW.minus(Duration.ofDays(1)), REGISTRY, "ci", "app/api", "v2", D2);

        RecentPulls pulls = query(Set.of());

        assertEquals(
                List.of(new Pull("app/api", D1, null, NOW.minus(Duration.ofDays(2)))),
                sorted(pulls));
        assertEquals(SINCE + "/" + NOW, logs.queries().get(0).get("timespan").asText());
    }

    @Test
    void aRowWithOnlyATagIsKeptForPlanningAndRowsOfOtherRegistriesAreIgnored() {
        logs.pull(NOW.minus(Duration.ofDays(1)), REGISTRY, "dev", "app/api", "v1", "");
        logs.pull(NOW.minus(Duration.ofDays(1)), "other.azurecr.io", "dev", "app/api", "", D2);
        logs.pull(NOW.minus(Duration.ofDays(2)), "MyReg.azurecr.io:443", "dev", "app/web", "", D2);

        assertEquals(
                List.of(
                        new Pull("app/api", null, "v1", NOW.minus(Duration.ofDays(1))),
                        new Pull("app/web", D2, null, NOW.minus(Duration.ofDays(2)))),
                sorted(query(Set.of())));
    }

    @Test
    void pullsByExcludedIdentitiesAndByThisAppItselfDoNotCount() {
        logs.pull(NOW.minus(Duration.ofDays(1)), REGISTRY, "Scanner-Identity", "app/api", "", D1);
        logs.pull(NOW.minus(Duration.ofDays(1)), REGISTRY, "app-oid", "app/api", "", D1);
        logs.pull(NOW.minus(Duration.ofDays(1)), REGISTRY, "app-client-id", "app/api", "", D1);
        logs.pull(NOW.minus(Duration.ofDays(1)), REGISTRY, "we\"ird\\name", "app/api", "", D1);
        logs.pull(NOW.minus(Duration.ofDays(1)), REGISTRY, "kubelet", "app/api", "", D2);

        RecentPulls pulls = query(Set.of("scanner-identity", "we\"ird\\name"));

        assertEquals(
                List.of(new Pull("app/api", D2, null, NOW.minus(Duration.ofDays(1)))),
                sorted(pulls));
    }

    @Test
    void throttlingAndPassingServerErrorsAreRetriedHonouringRetryAfter() {
        logs.pull(NOW.minus(Duration.ofDays(1)), REGISTRY, "ci", "app/api", "", D1);
        logs.failNext(1, 429, 503);

        assertEquals(1, query(Set.of()).pulls().size());
        assertEquals(3, logs.requests());
    }

    @Test
    void aServerThatKeepsFailingIsAnErrorNeverAnEmptyAnswer() {
        logs.pull(NOW.minus(Duration.ofDays(1)), REGISTRY, "ci", "app/api", "", D1);
        logs.failNext(0, 500, 500, 500, 500);

        PullLogException e = assertThrows(PullLogException.class, () -> query(Set.of()));
        assertTrue(
                e.getMessage()
                        .contains("pull logs of myreg.azurecr.io (workspace " + WORKSPACE + ")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("500"), e.getMessage());
    }

    @Test
    void aRefusedTokenIsAnErrorThatSaysSo() {
        logs.close();
        logs = new LogAnalyticsEmulator(CERTS, WORKSPACE, "another-token");
        client =
                new LogAnalyticsPulls(
                        config(Set.of()),
                        ctx -> Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1))),
                        http(),
                        Duration.ofMillis(20));

        PullLogException e = assertThrows(PullLogException.class, () -> query(Set.of()));
        assertTrue(
                e.getMessage().contains("401")
                        && e.getMessage().contains("AuthorizationRequiredError"),
                e.getMessage());
    }

    @Test
    void aPartialResultIsAnErrorEvenWithRows() {
        logs.pull(NOW.minus(Duration.ofDays(1)), REGISTRY, "ci", "app/api", "", D1);
        logs.answerPartially(true);

        PullLogException e = assertThrows(PullLogException.class, () -> query(Set.of()));
        assertTrue(
                e.getMessage().contains("only in part") && e.getMessage().contains("PartialError"),
                e.getMessage());
    }

    static String jwt(String claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(
                        "{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "."
                + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "."
                + b64.encodeToString(new byte[8]);
    }
}
