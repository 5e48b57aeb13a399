package io.acrretention.registry.acr;

import static io.acrretention.registry.acr.AcrRegistryContractIT.AAD;
import static io.acrretention.registry.acr.AcrRegistryContractIT.LOGIN;
import static io.acrretention.registry.acr.AcrRegistryContractIT.T0;
import static io.acrretention.registry.acr.AcrRegistryContractIT.digest;
import static io.acrretention.registry.acr.AcrRegistryContractIT.manifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.PolicyParser;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import io.acrretention.retention.Action;
import io.acrretention.retention.Decision;
import io.acrretention.retention.ListAndPlan;
import io.acrretention.retention.Plan;
import io.acrretention.retention.Reason;
import io.acrretention.retention.RepositoryPolicy;
import io.acrretention.testing.Inventories;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import io.acrretention.usage.UsedImages;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the listing does not say, through the real SDK against the emulator, which by default lists
 * indexes without {@code references} (as ACR was seen to): children from the index's content,
 * subjects of the plan's candidates, and throttling that never reads as absence.
 */
class AcrReadingContractIT {
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String OCI_IMAGE = "application/vnd.oci.image.manifest.v1+json";

    /** Only use and the referrer rules keep anything: every other manifest is a candidate. */
    static final RepositoryPolicy BARE =
            PolicyParser.parse(
                            """
            {"keepRecent": 0, "keepRecentPerBranch": [], "keepYoungerThan": "P1D", "untagged": "delete"}""")
                    .base();

    static TestCertificates certs;
    AcrEmulator acr;
    AcrRegistry registry;

    @BeforeAll
    static void certificates() {
        certs = TestCertificates.create("acr-reading-ca");
    }

    @BeforeEach
    void start() {
        acr = AcrEmulator.start(certs, LOGIN, AAD).pageSize(2);
        registry =
                AcrRegistry.create(
                        acr.endpoint(),
                        LOGIN,
                        AcrEmulator.credential(AAD),
                        null,
                        Duration.ofSeconds(10),
                        AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(10)));
    }

    @AfterEach
    void stop() {
        acr.close();
    }

    static Manifest index(int i, String mediaType, List<String> children, String... tags) {
        Manifest m = manifest(i, tags);
        return new Manifest(
                m.digest(),
                mediaType,
                m.sizeBytes(),
                m.createdTime(),
                m.lastUpdateTime(),
                true,
                true,
                m.tags(),
                children,
                null);
    }

    static Manifest referrer(int i, String subject, String... tags) {
        Manifest m = manifest(i, tags);
        return new Manifest(
                m.digest(),
                OCI_IMAGE,
                m.sizeBytes(),
                m.createdTime(),
                m.lastUpdateTime(),
                true,
                true,
                m.tags(),
                List.of(),
                subject);
    }

    static Manifest find(RepositoryArtifacts listed, int i) {
        return listed.manifests().stream()
                .filter(m -> m.digest().equals(digest(i)))
                .findFirst()
                .orElseThrow();
    }

    static Decision decision(Plan plan, int i) {
        return plan.decisions().stream()
                .filter(d -> d.digest().equals(digest(i)))
                .findFirst()
                .orElseThrow();
    }

    Plan plan(String repository, UsedImages used) {
        return ListAndPlan.plan(registry, repository, used, BARE, Instant.now());
    }

    @Test
    void anIndexWhoseListingOmitsReferencesHasItsChildrenFromItsOwnContent() {
        acr.state().put("app/api", manifest(1));
        acr.state().put("app/api", manifest(2));
        acr.state().put("app/api", manifest(3));
        acr.state().put("app/api", index(10, OCI_INDEX, List.of(digest(1), digest(2)), "v1"));
        acr.state().put("app/api", index(11, DOCKER_LIST, List.of(digest(3)), "v2"));
        acr.state().put("app/api", index(12, null, List.of(digest(1)), "v3"));

        RepositoryArtifacts listed = registry.artifacts("app/api");

        assertEquals(List.of(digest(1), digest(2)), find(listed, 10).children());
        assertEquals(OCI_INDEX, find(listed, 10).mediaType());
        assertEquals(List.of(digest(3)), find(listed, 11).children());
        assertEquals(DOCKER_LIST, find(listed, 11).mediaType());
        assertEquals(
                List.of(digest(1)),
                find(listed, 12).children(),
                "a manifest listed without a media type is read");
        assertEquals(
                OCI_IMAGE,
                find(listed, 1).mediaType(),
                "the media type comes from the raw listing");
        assertEquals(3, acr.counts().contentReads(), "single images are not read");
    }

    @Test
    void thePlatformImagesOfAMultiArchImageInUseStayWhenTheListingOmitsReferences() {
        acr.state().put("app/api", manifest(1));
        acr.state().put("app/api", manifest(2));
        acr.state().put("app/api", index(10, OCI_INDEX, List.of(digest(1), digest(2)), "v1"));

        Plan plan = plan("app/api", Inventories.using(LOGIN + "/app/api:v1"));

        assertEquals(List.of(Reason.INDEX_CHILD), decision(plan, 1).reasons());
        assertEquals(List.of(Reason.INDEX_CHILD), decision(plan, 2).reasons());
    }

    @Test
    void aListingThatCarriesReferencesGivesTheSameChildren() {
        acr.listsReferences(true);
        acr.state().put("app/api", manifest(1));
        acr.state().put("app/api", index(10, OCI_INDEX, List.of(digest(1)), "v1"));

        assertEquals(List.of(digest(1)), find(registry.artifacts("app/api"), 10).children());
    }

    @Test
    void aTaggedSbomOfAUsedImageStaysWithItAndOnlyTheCandidatesAreRead() {
        acr.state().put("app/api", manifest(1, "v1"));
        acr.state().put("app/api", referrer(2, digest(1), "v1-sbom"));
        acr.state().put("app/api", manifest(3, "v0"));
        acr.state().put("app/api", manifest(4, "v9"));

        Plan plan =
                plan("app/api", Inventories.using(LOGIN + "/app/api:v1", LOGIN + "/app/api:v9"));

        assertEquals(Action.KEEP, decision(plan, 2).action());
        assertEquals(List.of(Reason.REFERRER), decision(plan, 2).reasons());
        assertEquals(Action.DELETE, decision(plan, 3).action());
        assertEquals(
                2,
                acr.counts().contentReads(),
                "the two candidates (v1-sbom, v0), not the used images");
    }

    @Test
    void anUntaggedSignatureOfAKeptImageStaysAndADanglingBuildGoes() {
        acr.state().put("app/api", manifest(1, "v1"));
        acr.state().put("app/api", referrer(2, digest(1)));
        acr.state()
                .put(
                        "app/api",
                        new Manifest(
                                digest(3), null, 900, T0, T0, true, true, List.of(), List.of(),
                                null));

        Plan plan = plan("app/api", Inventories.using(LOGIN + "/app/api:v1"));

        assertEquals(List.of(Reason.REFERRER), decision(plan, 2).reasons());
        assertEquals(Action.DELETE, decision(plan, 3).action());
    }

    @Test
    void a429OnLaterTagAndManifestPagesIsWaitedOutAndEveryManifestIsStillListed() {
        for (int i = 0; i < 7; i++) {
            acr.state().put("app/api", manifest(i, "t" + i));
        }
        acr.faults()
                .throttleMatching("/_tags?last=", 2, 0)
                .throttleMatching("/_manifests?last=", 2, 0);

        RepositoryArtifacts listed = registry.artifacts("app/api");

        assertEquals(7, listed.manifests().size());
        assertTrue(
                listed.manifests().stream().allMatch(m -> m.tags().size() == 1),
                "every tag page was read");
        assertEquals(4, acr.counts().throttled());
    }

    @Test
    void retryAfterIsHonouredBeforeTheNextAttempt() {
        acr.state().put("app/api", manifest(1, "v1"));
        acr.faults().throttleMatching("/_tags", 1, 1);

        long t0 = System.nanoTime();
        assertEquals(1, registry.artifacts("app/api").manifests().size());
        assertTrue(
                System.nanoTime() - t0 >= Duration.ofMillis(950).toNanos(),
                "waited the Retry-After of 1 s");
    }

    @Test
    void aServerErrorOnAManifestReadIsRetriedAndNeverReadAsAbsent() {
        acr.state().put("app/api", manifest(1));
        acr.state().put("app/api", index(10, OCI_INDEX, List.of(digest(1)), "v1"));
        acr.faults().failMatching("/manifests/" + digest(10), 1, 503);

        assertEquals(List.of(digest(1)), find(registry.artifacts("app/api"), 10).children());
    }

    @Test
    void throttlingThatOutlastsTheRetriesFailsTheRepositoryInsteadOfListingItEmpty() {
        for (int i = 0; i < 5; i++) {
            acr.state().put("app/api", manifest(i, "t" + i));
        }
        acr.faults().throttleMatching("/_manifests?last=", 100, 0);

        RegistryException e =
                assertThrows(RegistryException.class, () -> registry.artifacts("app/api"));
        assertEquals(RegistryException.Kind.THROTTLED, e.kind());
        assertTrue(
                e.getMessage().startsWith("list manifests in app/api on " + LOGIN + " failed: 429"),
                e.getMessage());
    }

    @Test
    void aManifestReadThatKeepsFailingFailsTheRepositoryInsteadOfReadingAsMissing() {
        acr.state().put("app/api", manifest(1));
        acr.state().put("app/api", index(10, OCI_INDEX, List.of(digest(1)), "v1"));
        acr.faults().failMatching("/manifests/" + digest(10), 100, 500);

        RegistryException e =
                assertThrows(RegistryException.class, () -> registry.artifacts("app/api"));
        assertEquals(RegistryException.Kind.SERVER, e.kind());
    }

    @Test
    void aThrottledCandidateReadFailsThePlanInsteadOfDeletingTheCandidate() {
        acr.state().put("app/api", manifest(1, "v1"));
        acr.state().put("app/api", referrer(2, digest(1), "v1-sbom"));
        acr.faults().throttleMatching("/manifests/" + digest(2), 100, 0);

        assertThrows(
                RegistryException.class,
                () -> plan("app/api", Inventories.using(LOGIN + "/app/api:v1")));
    }

    @Test
    void a429OnALaterCatalogPageStillListsEveryRepository() {
        for (int i = 0; i < 5; i++) {
            acr.state().put("team/app" + i, manifest(i, "v1"));
        }
        acr.faults().throttleMatching("/_catalog?last=", 2, 0);

        assertEquals(acr.state().repositories(), registry.repositories());
    }

    @Test
    void aCosignSignatureOfAnImageInAnotherRepositoryStaysThroughTheWholeRead() {
        Manifest sig = manifest(2);
        acr.state()
                .put(
                        "signatures",
                        sig.withTags(
                                List.of(
                                        Tag.of(
                                                digest(77).replace("sha256:", "sha256-") + ".sig",
                                                digest(2),
                                                T0))));

        Plan plan = plan("signatures", Inventories.using());

        assertEquals(List.of(Reason.REFERRER), decision(plan, 2).reasons());
    }
}
