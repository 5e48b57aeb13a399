package io.acrretention.usage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.acrretention.image.ImageReference;
import io.acrretention.image.RegistryNames;
import io.acrretention.registry.RecentPulls;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The used-image manifest: every image the clusters run or may roll back to, and how collecting
 * each cluster went. Its JSON form is the blob {@code inventory/{runId}.json}
 * (docs/architecture.md, the documents of a run).
 *
 * <p>Not a record: it carries a lazily built per-repository index so that planning thousands of
 * repositories reads the image list once, not once per repository.
 */
@JsonPropertyOrder({
    "runId",
    "collectedAt",
    "complete",
    "clusters",
    "images",
    "ignored",
    "baseline",
    "pulls"
})
public final class UsedImages {
    private final String runId;
    private final Instant collectedAt;
    private final boolean complete;
    private final List<ClusterStatus> clusters;
    private final List<UsedImage> images;
    private final List<IgnoredReference> ignored;
    private final List<RecentPulls> pulls;
    private final Baseline baseline;
    private volatile Map<String, RepositoryUsage> index;

    /**
     * @param complete true only when every configured cluster answered in full
     */
    public UsedImages(
            String runId,
            Instant collectedAt,
            boolean complete,
            List<ClusterStatus> clusters,
            List<UsedImage> images,
            List<IgnoredReference> ignored) {
        this(runId, collectedAt, complete, clusters, images, ignored, null, List.of());
    }

    /**
     * @param baseline what the last complete, trusted run counted; null when there was none
     * @param pulls the registries' recent pulls, one entry per registry read (keepPulledWithin)
     */
    @JsonCreator
    public UsedImages(
            @JsonProperty(value = "runId", required = true) String runId,
            @JsonProperty(value = "collectedAt", required = true) Instant collectedAt,
            @JsonProperty(value = "complete", required = true) boolean complete,
            @JsonProperty("clusters") List<ClusterStatus> clusters,
            @JsonProperty("images") List<UsedImage> images,
            @JsonProperty("ignored") List<IgnoredReference> ignored,
            @JsonProperty("baseline") Baseline baseline,
            @JsonProperty("pulls") List<RecentPulls> pulls) {
        this.runId = Objects.requireNonNull(runId, "runId");
        this.collectedAt = Objects.requireNonNull(collectedAt, "collectedAt");
        this.clusters = clusters == null ? List.of() : List.copyOf(clusters);
        this.images = images == null ? List.of() : List.copyOf(images);
        this.ignored = ignored == null ? List.of() : List.copyOf(ignored);
        this.pulls = pulls == null ? List.of() : List.copyOf(pulls);
        if (complete && this.clusters.stream().anyMatch(c -> !c.isOk())) {
            throw new IllegalArgumentException(
                    "an inventory with a failed cluster cannot be complete");
        }
        this.complete = complete;
        this.baseline = baseline;
    }

    /**
     * This inventory, compared against {@code last}: the same images, with what the last trusted
     * run counted.
     */
    public UsedImages withBaseline(Baseline last) {
        return new UsedImages(runId, collectedAt, complete, clusters, images, ignored, last, pulls);
    }

    @JsonProperty
    public String runId() {
        return runId;
    }

    @JsonProperty
    public Instant collectedAt() {
        return collectedAt;
    }

    @JsonProperty
    public boolean complete() {
        return complete;
    }

    @JsonProperty
    public List<ClusterStatus> clusters() {
        return clusters;
    }

    @JsonProperty
    public List<UsedImage> images() {
        return images;
    }

    @JsonProperty
    public List<IgnoredReference> ignored() {
        return ignored;
    }

    /** What the last complete, trusted run counted; null when none is known. */
    @JsonProperty
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public Baseline baseline() {
        return baseline;
    }

    /**
     * Written only when pull logs were read, so inventories of runs without the rule look as
     * before.
     */
    @JsonProperty
    @com.fasterxml.jackson.annotation.JsonInclude(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    public List<RecentPulls> pulls() {
        return pulls;
    }

    /** The same inventory with the registries' recent pulls added. */
    public UsedImages withPulls(List<RecentPulls> recentPulls) {
        return new UsedImages(
                runId, collectedAt, complete, clusters, images, ignored, baseline, recentPulls);
    }

    /** The recent pulls read for one registry, if any were. */
    public java.util.Optional<RecentPulls> pullsOf(String loginServer) {
        return pulls.stream().filter(p -> p.registry().equals(loginServer)).findFirst();
    }

    /** Clusters that failed, in order; empty when every cluster answered. */
    @JsonIgnore
    public List<ClusterStatus> failedClusters() {
        return clusters.stream().filter(c -> !c.isOk()).toList();
    }

    /**
     * What the clusters use of one repository. A reference with neither tag nor digest pulls {@code
     * latest}. Registry names compare in their normal form ({@link RegistryNames#normalize}): any
     * spelling of the login server finds the same usage. Aliases were resolved when the inventory
     * was collected.
     */
    public RepositoryUsage usageOf(String loginServer, String repository) {
        return index().getOrDefault(
                        RegistryNames.normalize(loginServer) + "/" + repository,
                        RepositoryUsage.NONE);
    }

    private Map<String, RepositoryUsage> index() {
        Map<String, RepositoryUsage> built = index;
        if (built == null) {
            built = buildIndex();
            index = built;
        }
        return built;
    }

    private Map<String, RepositoryUsage> buildIndex() {
        Map<String, Set<String>> tags = new HashMap<>();
        Map<String, Set<String>> digests = new HashMap<>();
        for (UsedImage image : images) {
            ImageReference ref = ImageReference.tryParse(image.reference()).orElse(null);
            if (ref == null) {
                continue;
            }
            Set<String> t = tags.computeIfAbsent(ref.name(), k -> new HashSet<>());
            Set<String> d = digests.computeIfAbsent(ref.name(), k -> new HashSet<>());
            ref.tag().ifPresent(t::add);
            if (ref.tag().isEmpty() && ref.digest().isEmpty()) {
                t.add("latest");
            }
            ref.digest().ifPresent(d::add);
            if (image.digest() != null) {
                d.add(image.digest());
            }
        }
        Map<String, RepositoryUsage> built = new HashMap<>();
        tags.forEach((key, t) -> built.put(key, new RepositoryUsage(t, digests.get(key))));
        return built;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UsedImages u
                && complete == u.complete
                && runId.equals(u.runId)
                && collectedAt.equals(u.collectedAt)
                && clusters.equals(u.clusters)
                && images.equals(u.images)
                && ignored.equals(u.ignored)
                && Objects.equals(baseline, u.baseline)
                && pulls.equals(u.pulls);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runId, collectedAt, complete, clusters.size(), images.size());
    }

    @Override
    public String toString() {
        return "UsedImages[runId="
                + runId
                + ", complete="
                + complete
                + ", clusters="
                + clusters.size()
                + ", images="
                + images.size()
                + ", ignored="
                + ignored.size()
                + "]";
    }
}
