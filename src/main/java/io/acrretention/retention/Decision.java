package io.acrretention.retention;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What happens to one manifest and why.
 *
 * @param tags every tag on the manifest when listed
 * @param untag the tags to remove when the action is {@link Action#UNTAG}; empty otherwise
 * @param reasons why it stays (any keep reason) or why it goes
 * @param tagReasons for each tag, why it stays or goes
 * @param children the manifests an index names, as listed: the cleaner deletes them only after the
 *     index
 * @param subject the manifest a referrer names, or null: the cleaner deletes a referrer only after
 *     it
 * @param lastPulled the last pull within {@code keepPulledWithin} by the registry's logs; null when
 *     none is known
 */
public record Decision(
        String digest,
        String mediaType,
        List<String> tags,
        Instant createdTime,
        Instant lastUpdateTime,
        long sizeBytes,
        Action action,
        List<String> untag,
        List<Reason> reasons,
        Map<String, List<Reason>> tagReasons,
        List<String> children,
        String subject,
        Instant lastPulled) {
    public Decision {
        tags = List.copyOf(tags);
        untag = List.copyOf(untag);
        reasons = List.copyOf(reasons);
        tagReasons = Map.copyOf(tagReasons);
        // A plan stored before these fields existed reads them as null: it names no children or
        // subject.
        children = children == null ? List.of() : List.copyOf(children);
    }
}
