package io.acrretention.retention;

import static io.acrretention.testing.Repo.NOW;
import static io.acrretention.testing.Repo.daysAgo;
import static io.acrretention.testing.Repo.digest;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.acrretention.config.PolicyParser;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import io.acrretention.testing.Inventories;
import io.acrretention.testing.Repo;
import io.acrretention.usage.UsedImages;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Referrer rules of the planner: signatures and SBOMs that stay with (or without) the image they
 * describe.
 */
class RetentionPlannerReferrerTest {
    /** Nothing kept by recency or age: only the referrer rules (and use) can keep a manifest. */
    private static final RepositoryPolicy BARE =
            PolicyParser.parse(
                            """
            {"keepRecent": 0, "keepRecentPerBranch": [], "keepYoungerThan": "P1D", "untagged": "delete"}""")
                    .base();

    private static final UsedImages NOTHING_USED = Inventories.using();

    private static Decision decisionFor(Plan plan, String label) {
        return plan.decisions().stream()
                .filter(d -> d.digest().equals(digest(label)))
                .findFirst()
                .orElseThrow();
    }

    private static String cosignTag(String label, String suffix) {
        return digest(label).replace("sha256:", "sha256-") + suffix;
    }

    @Test
    void aCosignSignatureWhoseImageIsInAnotherRepositoryStaysAsAReferrer() {
        Repo signatures =
                Repo.named("signatures")
                        .image("sig", 200, cosignTag("elsewhere", ".sig"))
                        .image("att", 200, cosignTag("elsewhere", ".att"))
                        .image("sbom", 200, cosignTag("other", ".sbom"));

        Plan plan = RetentionPlanner.plan(signatures.build(), NOTHING_USED, BARE, NOW);

        for (String label : List.of("sig", "att", "sbom")) {
            assertEquals(Action.KEEP, decisionFor(plan, label).action(), label);
            assertEquals(List.of(Reason.REFERRER), decisionFor(plan, label).reasons(), label);
        }
    }

    @Test
    void aCosignSignatureOfAnImageInTheSameRepositoryFollowsThatImageOut() {
        Repo repo =
                Repo.named("app/api")
                        .image("old", 200, "v1")
                        .image("sig", 200, cosignTag("old", ".sig"));

        Plan plan = RetentionPlanner.plan(repo.build(), NOTHING_USED, BARE, NOW);

        assertEquals(Action.DELETE, decisionFor(plan, "old").action());
        assertEquals(Action.DELETE, decisionFor(plan, "sig").action());
    }

    @Test
    void aTaggedSbomWhoseSubjectIsUsedStaysWithItAllItsTags() {
        Repo repo =
                Repo.named("app/api").image("v1", 200, "v1").referrer("sbom", 200, "v1", "v1-sbom");

        Plan plan =
                RetentionPlanner.plan(
                        repo.build(),
                        Inventories.using("mactemp.azurecr.io/app/api:v1"),
                        BARE,
                        NOW);

        assertEquals(Action.KEEP, decisionFor(plan, "sbom").action());
        assertEquals(List.of(Reason.REFERRER), decisionFor(plan, "sbom").reasons());
    }

    @Test
    void aManifestWhoseContentWasNotReadIsNeverDeletedOrUntaggedOnAGuess() {
        Manifest unreadTagged = unread("maybe-sbom", "v1-sbom", "v1-sbom-old");
        Manifest unreadUntagged = unread("maybe-sig");
        Repo repo =
                Repo.named("app/api")
                        .add(unreadTagged)
                        .add(unreadUntagged)
                        .referrer("sig-of-unread", 200, "maybe-sbom");

        Plan plan = RetentionPlanner.plan(repo.build(), NOTHING_USED, BARE, NOW);

        assertEquals(Action.KEEP, decisionFor(plan, "maybe-sbom").action());
        assertEquals(List.of(Reason.SUBJECT_UNREAD), decisionFor(plan, "maybe-sbom").reasons());
        assertEquals(Action.KEEP, decisionFor(plan, "maybe-sig").action());
        // What a kept manifest needs stays with it, as for any other keep.
        assertEquals(List.of(Reason.REFERRER), decisionFor(plan, "sig-of-unread").reasons());
    }

    @Test
    void anUnreadManifestThatStaysForAnotherReasonCarriesOnlyThatReason() {
        Repo repo = Repo.named("app/api").add(unread("v1", "v1"));

        Plan plan =
                RetentionPlanner.plan(
                        repo.build(),
                        Inventories.using("mactemp.azurecr.io/app/api:v1"),
                        BARE,
                        NOW);

        assertEquals(List.of(Reason.USED), decisionFor(plan, "v1").reasons());
    }

    private static Manifest unread(String label, String... tags) {
        List<Tag> ts =
                java.util.Arrays.stream(tags)
                        .map(t -> Tag.of(t, digest(label), daysAgo(200)))
                        .toList();
        return new Manifest(
                digest(label),
                "application/vnd.oci.image.manifest.v1+json",
                10,
                daysAgo(200),
                daysAgo(200),
                true,
                true,
                ts,
                List.of(),
                null,
                true);
    }
}
