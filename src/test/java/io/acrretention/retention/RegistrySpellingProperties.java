package io.acrretention.retention;

import static io.acrretention.testing.Repo.NOW;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.acrretention.config.Limits;
import io.acrretention.config.PolicyParser;
import io.acrretention.image.RegistryNames;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.inventory.ListedImageSource;
import io.acrretention.json.Json;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import io.acrretention.testing.Repo;
import io.acrretention.usage.UsedImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Invariants 1 and 10 over generated runs: a pod may name an image in any equivalent spelling (case
 * of the host, the default port {@code :443}, a configured alias, Docker Hub's defaults, tag and
 * digest together, a runtime's {@code docker-pullable://} prefix), and the planner, given the
 * registry under yet another spelling, must still see it as used. Several registries and
 * repositories share tags and digests, so usage leaking from one repository to another shows too:
 * with a policy that keeps nothing else, a manifest is deleted exactly when no spelling used it.
 * The scenario comes from a seed; QuickTheories reports the seed of a failure.
 */
class RegistrySpellingProperties {
    private static final Instant OLD = NOW.minus(Duration.ofDays(100));
    private static final String ACR = "mactemp.azurecr.io";
    private static final String MIRROR = "mirror.example.com";
    private static final String PORTED = "registry.example.com:5000";
    private static final String HUB = "docker.io";
    private static final Map<String, List<String>> REPOSITORIES =
            Map.of(
                    ACR, List.of("app/api", "team-a/svc/worker"),
                    PORTED, List.of("app/api"),
                    HUB, List.of("library/nginx", "bitnami/redis"));
    private static final RegistryNames ALIASES =
            RegistryNames.of(Map.of(ACR, List.of("Mirror.Example.com:443")));
    private static final Limits LIMITS =
            new Limits(
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    1 << 20,
                    1,
                    Duration.ofSeconds(5),
                    1);
    // Nothing is kept for any reason but use: every unused manifest must be deleted.
    private static final RepositoryPolicy KEEP_ONLY_USED =
            PolicyParser.parse(
                            """
            {"keepTags": [], "keepRecent": 0, "keepRecentPerBranch": [], "keepYoungerThan": "PT0S",
             "untagged": "delete"}""")
                    .base();

    /** One repository of one registry, and the digests and tags the generated pods use in it. */
    record Target(
            String registry,
            String repository,
            List<Manifest> manifests,
            Set<String> usedDigests,
            Set<String> usedTags) {}

    @Test
    void anImageUsedUnderAnySpellingOfItsRegistryAndNameIsNeverDeleted() {
        qt().withExamples(100)
                .forAll(longs().all(), integers().between(1, 12))
                .checkAssert(
                        (seed, pods) -> {
                            Random rnd = new Random(seed);
                            List<Target> targets = targets(rnd);
                            List<String> images = new ArrayList<>();
                            for (int p = 0; p < pods; p++) {
                                Target t = targets.get(rnd.nextInt(targets.size()));
                                images.add(
                                        use(
                                                t,
                                                t.manifests()
                                                        .get(rnd.nextInt(t.manifests().size())),
                                                rnd));
                            }
                            UsedImages inventory =
                                    storedAndReadBack(
                                            new InventoryCollector(
                                                            List.of(
                                                                    new ListedImageSource(
                                                                            "prod", images)),
                                                            LIMITS,
                                                            Clock.fixed(NOW, ZoneOffset.UTC),
                                                            ALIASES)
                                                    .collect("run-1"));
                            if (!inventory.ignored().isEmpty()) {
                                throw new AssertionError(
                                        "a valid spelling was not understood: "
                                                + inventory.ignored());
                            }
                            for (Target t : targets) {
                                Plan plan =
                                        RetentionPlanner.plan(
                                                new RepositoryArtifacts(
                                                        spellRegistry(t.registry(), rnd),
                                                        t.repository(),
                                                        t.manifests()),
                                                inventory,
                                                KEEP_ONLY_USED,
                                                NOW);
                                for (Decision d : plan.decisions()) {
                                    boolean used =
                                            t.usedDigests().contains(d.digest())
                                                    || d.tags().stream()
                                                            .anyMatch(t.usedTags()::contains);
                                    if (used == (d.action() == Action.DELETE)) {
                                        throw new AssertionError(
                                                t.registry()
                                                        + "/"
                                                        + t.repository()
                                                        + " "
                                                        + d.digest()
                                                        + " "
                                                        + d.tags()
                                                        + ": used "
                                                        + used
                                                        + " but "
                                                        + d.action()
                                                        + "; pods named "
                                                        + images);
                                    }
                                    if (t.usedDigests().contains(d.digest())
                                            && d.action() != Action.KEEP) {
                                        throw new AssertionError(
                                                "used by digest but touched: " + d);
                                    }
                                }
                            }
                        });
    }

    /**
     * Every repository, with three to six old manifests; tags and digests repeat across
     * repositories.
     */
    private static List<Target> targets(Random rnd) {
        List<Target> out = new ArrayList<>();
        REPOSITORIES.forEach(
                (registry, repositories) -> {
                    for (String repository : repositories) {
                        List<Manifest> manifests = new ArrayList<>();
                        int n = 3 + rnd.nextInt(4);
                        for (int i = 0; i < n; i++) {
                            String digest = Repo.digest("m" + i);
                            List<Tag> tags = new ArrayList<>();
                            // Some manifests are untagged: only a digest can name them.
                            for (String name :
                                    i % 3 == 2
                                            ? List.<String>of()
                                            : List.of(
                                                    "v" + i,
                                                    "v" + i + "-" + (i % 2 == 0 ? "a" : "b"))) {
                                tags.add(new Tag(name, digest, OLD, OLD, true, true));
                            }
                            manifests.add(
                                    new Manifest(
                                            digest,
                                            "application/vnd.oci.image.manifest.v1+json",
                                            1000,
                                            OLD,
                                            OLD,
                                            true,
                                            true,
                                            tags,
                                            List.of(),
                                            null));
                        }
                        out.add(
                                new Target(
                                        registry,
                                        repository,
                                        manifests,
                                        new HashSet<>(),
                                        new HashSet<>()));
                    }
                });
        out.sort(java.util.Comparator.comparing(t -> t.registry() + "/" + t.repository()));
        return out;
    }

    /**
     * A pod's image for manifest {@code m} of {@code t}: by tag, digest or both, in a random
     * spelling.
     */
    private static String use(Target t, Manifest m, Random rnd) {
        String tag = m.tags().isEmpty() ? null : m.tags().get(rnd.nextInt(m.tags().size())).name();
        int form = tag == null ? 1 : rnd.nextInt(3);
        StringBuilder ref = new StringBuilder(spellName(t.registry(), t.repository(), rnd));
        if (form != 1) {
            ref.append(':').append(tag);
            t.usedTags().add(tag);
        }
        if (form != 0) {
            ref.append('@').append(m.digest());
            t.usedDigests().add(m.digest());
            if (form == 1 && rnd.nextInt(3) == 0) {
                // What a Docker runtime reports as the imageID of a running container.
                ref.insert(0, "docker-pullable://");
            }
        }
        return ref.toString();
    }

    private static String spellName(String registry, String repository, Random rnd) {
        return switch (registry) {
            case ACR -> spellRegistry(rnd.nextBoolean() ? ACR : MIRROR, rnd) + "/" + repository;
            case PORTED -> spellRegistry(PORTED, rnd) + "/" + repository;
            default -> {
                // Docker Hub: no host at all, or one of its names; official images with or without
                // library/.
                String path =
                        repository.startsWith("library/") && rnd.nextBoolean()
                                ? repository.substring("library/".length())
                                : repository;
                String host =
                        List.of("", "docker.io", "index.docker.io", "registry-1.docker.io")
                                .get(rnd.nextInt(4));
                yield host.isEmpty() ? path : spellRegistry(host, rnd) + "/" + path;
            }
        };
    }

    /** The same host in random case, with the default port added half the time when it has none. */
    private static String spellRegistry(String hostPort, Random rnd) {
        StringBuilder s = new StringBuilder();
        for (char c : hostPort.toCharArray()) {
            s.append(rnd.nextInt(3) == 0 ? Character.toUpperCase(c) : c);
        }
        if (!hostPort.contains(":") && rnd.nextBoolean()) {
            s.append(":443");
        }
        return s.toString();
    }

    private static UsedImages storedAndReadBack(UsedImages inventory) {
        try {
            return Json.MAPPER.readValue(
                    Json.MAPPER.writeValueAsBytes(inventory), UsedImages.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
