package io.acrretention.retention;

import static io.acrretention.testing.Repo.NOW;
import static io.acrretention.testing.Repo.daysAgo;
import static io.acrretention.testing.Repo.digest;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import io.acrretention.config.PolicyParser;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import io.acrretention.testing.Inventories;
import io.acrretention.testing.Repo;
import io.acrretention.usage.UsedImages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Referrer invariants of the planner over random repositories: signatures and SBOMs (by {@code
 * subject} or by cosign tag, tagged or not, their image here or elsewhere) and manifests whose
 * content was not read. Each case is built from one seed, which QuickTheories prints when a case
 * fails.
 */
class ReferrerProperties {
    private static final List<RepositoryPolicy> POLICIES =
            List.of(
                    PolicyParser.parse(
                                    """
                    {"keepRecent": 0, "keepRecentPerBranch": [], "keepYoungerThan": "P1D", "untagged": "delete"}""")
                            .base(),
                    PolicyParser.parse("{\"keepRecent\": 3, \"untagged\": \"delete\"}").base(),
                    RepositoryPolicy.defaults());

    record Case(RepositoryArtifacts artifacts, UsedImages used, RepositoryPolicy policy) {}

    static Case generate(long seed) {
        Random rnd = new Random(seed);
        int n = 2 + rnd.nextInt(12);
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add("m" + i);
        }
        List<Manifest> manifests = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String d = digest(labels.get(i));
            double age = 1 + rnd.nextInt(400);
            List<Tag> tags = new ArrayList<>();
            int tagCount = rnd.nextInt(3);
            for (int k = 0; k < tagCount; k++) {
                String name = "v" + i + "-" + k;
                if (rnd.nextInt(4) == 0) {
                    // A cosign tag: of a manifest here, or of an image in another repository.
                    String target =
                            rnd.nextBoolean()
                                    ? digest(labels.get(rnd.nextInt(n)))
                                    : digest("elsewhere" + k);
                    name =
                            target.replace("sha256:", "sha256-")
                                    + (rnd.nextBoolean() ? ".sig" : ".sbom");
                }
                tags.add(Tag.of(name, d, daysAgo(age)));
                if (rnd.nextInt(5) == 0) {
                    used.add(Repo.REGISTRY + "/app/api:" + name);
                }
            }
            String subject = rnd.nextInt(3) == 0 ? digest(labels.get(rnd.nextInt(n))) : null;
            boolean unread = rnd.nextInt(4) == 0;
            manifests.add(
                    new Manifest(
                            d,
                            "application/vnd.oci.image.manifest.v1+json",
                            10,
                            daysAgo(age),
                            daysAgo(age),
                            true,
                            true,
                            tags,
                            List.of(),
                            unread ? null : subject,
                            unread));
        }
        return new Case(
                new RepositoryArtifacts(Repo.REGISTRY, "app/api", manifests),
                Inventories.using(used.toArray(String[]::new)),
                POLICIES.get(rnd.nextInt(POLICIES.size())));
    }

    private static Map<String, Decision> decide(Case c) {
        Map<String, Decision> out = new HashMap<>();
        RetentionPlanner.plan(c.artifacts(), c.used(), c.policy(), NOW)
                .decisions()
                .forEach(d -> out.put(d.digest(), d));
        return out;
    }

    @Test
    void aManifestWhoseContentWasNotReadIsNeverDeletedOrUntagged() {
        qt().withExamples(500)
                .forAll(longs().all())
                .check(
                        seed -> {
                            Case c = generate(seed);
                            Map<String, Decision> decisions = decide(c);
                            return c.artifacts().manifests().stream()
                                    .filter(Manifest::subjectUnread)
                                    .allMatch(
                                            m -> decisions.get(m.digest()).action() == Action.KEEP);
                        });
    }

    @Test
    void aCosignTagOfAnImageNotInTheRepositoryKeepsItsManifestWhole() {
        qt().withExamples(500)
                .forAll(longs().all())
                .check(
                        seed -> {
                            Case c = generate(seed);
                            Map<String, Decision> decisions = decide(c);
                            return c.artifacts().manifests().stream()
                                    .filter(
                                            m ->
                                                    m.tags().stream()
                                                            .anyMatch(
                                                                    t ->
                                                                            t.name()
                                                                                            .startsWith(
                                                                                                    "sha256-")
                                                                                    && !decisions
                                                                                            .containsKey(
                                                                                                    "sha256:"
                                                                                                            + t.name()
                                                                                                                    .substring(
                                                                                                                            7,
                                                                                                                            71))))
                                    .allMatch(
                                            m -> decisions.get(m.digest()).action() == Action.KEEP);
                        });
    }

    @Test
    void aReferrerOfAManifestThatStaysStaysWhole() {
        qt().withExamples(500)
                .forAll(longs().all())
                .check(
                        seed -> {
                            Case c = generate(seed);
                            Map<String, Decision> decisions = decide(c);
                            for (Manifest m : c.artifacts().manifests()) {
                                List<String> subjects = new ArrayList<>();
                                if (m.subject() != null) {
                                    subjects.add(m.subject());
                                }
                                m.tags().stream()
                                        .filter(t -> t.name().startsWith("sha256-"))
                                        .forEach(
                                                t ->
                                                        subjects.add(
                                                                "sha256:"
                                                                        + t.name()
                                                                                .substring(7, 71)));
                                for (String s : subjects) {
                                    Decision subject = decisions.get(s);
                                    if (subject != null
                                            && subject.action() != Action.DELETE
                                            && decisions.get(m.digest()).action() != Action.KEEP) {
                                        return false;
                                    }
                                }
                            }
                            return true;
                        });
    }
}
