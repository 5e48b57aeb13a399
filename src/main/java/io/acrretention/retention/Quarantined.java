package io.acrretention.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The planner's view of a repository's quarantine: which manifests an earlier run untagged and
 * recorded, since when, and under which tags. The records themselves live in the store; the planner
 * only reads this, so it stays pure.
 */
public record Quarantined(Map<String, Entry> byDigest) {
    public static final Quarantined NONE = new Quarantined(Map.of());

    /**
     * @param tags the tags the quarantine removed (what a restore puts back)
     */
    public record Entry(Instant since, List<String> tags) {
        public Entry {
            Objects.requireNonNull(since, "since");
            tags = List.copyOf(tags);
        }
    }

    public Quarantined {
        byDigest = Map.copyOf(byDigest);
    }

    public Entry get(String digest) {
        return byDigest.get(digest);
    }
}
