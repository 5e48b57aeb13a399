package io.acrretention.registry;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The last pull of each image of one registry within a window, as the registry's diagnostic logs
 * recorded it (the {@code keepPulledWithin} rule). A row names a digest, a tag, or both: the logs
 * carry only a tag for some pulls, and such a row is mapped to the digest the tag points to when
 * the repository is planned.
 *
 * @param registry the registry's login server in normal form
 * @param since the start of the window the rows cover
 * @param pulls one row per repository, digest and tag pulled in the window
 * @param error why the logs could not be read (then {@code pulls} is empty and deletion is
 *     withheld); null when they were read in full
 */
public record RecentPulls(String registry, Instant since, List<Pull> pulls, String error) {
    /**
     * @param digest null when the log row carried only a tag
     * @param tag null when the pull was by digest
     */
    public record Pull(String repository, String digest, String tag, Instant lastPull) {
        public Pull {
            Objects.requireNonNull(repository, "repository");
            Objects.requireNonNull(lastPull, "lastPull");
            if (digest == null && tag == null) {
                throw new IllegalArgumentException("a pull names a digest or a tag");
            }
        }
    }

    public RecentPulls {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(since, "since");
        pulls = pulls == null ? List.of() : List.copyOf(pulls);
    }

    public static RecentPulls read(String registry, Instant since, List<Pull> pulls) {
        return new RecentPulls(registry, since, pulls, null);
    }

    public static RecentPulls unreadable(String registry, Instant since, String error) {
        return new RecentPulls(registry, since, List.of(), Objects.requireNonNull(error, "error"));
    }

    public boolean readable() {
        return error == null;
    }

    /**
     * The last pull of each manifest of {@code repository}, by digest; a tag-only row counts for
     * the manifest the tag points to now (if the tag has moved since, the image it named then is
     * not protected by that row: the logs did not say which it was).
     */
    public Map<String, Instant> lastPullByDigest(String repository, List<Manifest> manifests) {
        Map<String, String> digestOfTag = new HashMap<>();
        for (Manifest m : manifests) {
            for (Tag t : m.tags()) {
                digestOfTag.put(t.name(), m.digest());
            }
        }
        Map<String, Instant> last = new HashMap<>();
        for (Pull p : pulls) {
            if (!p.repository().equals(repository)) {
                continue;
            }
            String digest = p.digest() != null ? p.digest() : digestOfTag.get(p.tag());
            if (digest != null) {
                last.merge(digest, p.lastPull(), (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return last;
    }
}
