package io.acrretention.retention;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import io.acrretention.usage.RepositoryUsage;
import io.acrretention.usage.UsedImages;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides, for every manifest of one repository, whether it stays, loses some tags, or goes, with
 * reasons (docs/decision-rule.md). Pure: no I/O, no clock, no randomness; the same input always
 * gives the same plan. Cost: one sort of the tags, then linear passes.
 */
public final class RetentionPlanner {
    /**
     * Cosign-style referrer tags name their subject: {@code sha256-<hex>.sig}, {@code .att}, {@code
     * .sbom}.
     */
    private static final Pattern REFERRER_TAG =
            Pattern.compile("^(sha256)-([a-f0-9]{64})(\\.[A-Za-z0-9._-]+)?$");

    private RetentionPlanner() {}

    /**
     * The plan for one repository. A manifest whose content was not read ({@link
     * Manifest#subjectUnread()}) and that would be deleted or untagged is kept ({@code
     * subject-unread}) instead, with everything it needs: it may be a signature or SBOM of an image
     * that stays. {@code ListAndPlan} reads those and plans again.
     */
    public static Plan plan(
            RepositoryArtifacts artifacts,
            UsedImages usedImages,
            RepositoryPolicy policy,
            Instant now) {
        return plan(artifacts, usedImages, policy, now, Quarantined.NONE);
    }

    /**
     * Plans with the repository's quarantine records (docs/quarantine.md). A manifest in quarantine
     * that is still untagged is not kept by {@code untagged: keep} (this tool untagged it): it
     * stays {@code quarantined} until its grace has passed, then goes ({@code quarantine-expired})
     * unless a manifest rule keeps it. One that got a tag again, or is used by digest (itself or a
     * child), is {@code released}. One used by a tag the quarantine removed stays in quarantine and
     * is never deleted: restoring puts it back. With quarantine off in the policy the records are
     * ignored and the manifests planned as any other.
     */
    public static Plan plan(
            RepositoryArtifacts artifacts,
            UsedImages usedImages,
            RepositoryPolicy policy,
            Instant now,
            Quarantined quarantined) {
        Quarantined q = policy.quarantines() ? quarantined : Quarantined.NONE;
        RepositoryUsage usage = usedImages.usageOf(artifacts.registry(), artifacts.repository());
        Map<String, Instant> pulledSince = recentPulls(artifacts, usedImages, policy, now);
        Plan plan = plan(artifacts, usage, pulledSince, policy, now, q, Set.of());
        Set<String> unreadCandidates = new java.util.HashSet<>();
        Map<String, Manifest> byDigest = new HashMap<>();
        artifacts.manifests().forEach(m -> byDigest.putIfAbsent(m.digest(), m));
        for (Decision d : plan.decisions()) {
            if (d.action() != Action.KEEP && byDigest.get(d.digest()).subjectUnread()) {
                unreadCandidates.add(d.digest());
            }
        }
        // Keeping more only ever keeps more, so a second pass with these kept is the whole answer.
        return unreadCandidates.isEmpty()
                ? plan
                : plan(artifacts, usage, pulledSince, policy, now, q, unreadCandidates);
    }

    private static Plan plan(
            RepositoryArtifacts artifacts,
            RepositoryUsage usage,
            Map<String, Instant> pulledSince,
            RepositoryPolicy policy,
            Instant now,
            Quarantined q,
            Set<String> unreadCandidates) {
        List<Manifest> manifests = artifacts.manifests();
        Map<String, Manifest> byDigest = new HashMap<>();
        for (Manifest m : manifests) {
            byDigest.putIfAbsent(m.digest(), m);
        }

        Map<Tag, EnumSet<Reason>> tagKeeps = decideTags(manifests, byDigest, usage, policy, now);

        // Manifest rules: each of these keeps the manifest untouched, with all its tags.
        Map<String, EnumSet<Reason>> protect = new HashMap<>();
        for (Manifest m : manifests) {
            EnumSet<Reason> r = EnumSet.noneOf(Reason.class);
            if (usage.usesDigest(m.digest())) {
                r.add(Reason.USED);
            }
            if (m.children().stream().anyMatch(usage::usesDigest)) {
                r.add(Reason.USED_CHILD);
            }
            if (m.locked()) {
                r.add(Reason.LOCKED);
            }
            if (isYoung(m.createdTime(), m.lastUpdateTime(), policy, now)) {
                r.add(Reason.YOUNG);
            }
            Quarantined.Entry held = m.untagged() ? q.get(m.digest()) : null;
            if (held == null
                    && m.untagged()
                    && policy.untagged() == RepositoryPolicy.Untagged.KEEP) {
                r.add(Reason.UNTAGGED);
            }
            if (pulledSince.containsKey(m.digest())) {
                r.add(Reason.PULLED);
            }
            if (signsElsewhere(m, byDigest)) {
                r.add(Reason.REFERRER);
            }
            if (unreadCandidates.contains(m.digest())) {
                r.add(Reason.SUBJECT_UNREAD);
            }
            if (held != null) {
                if (r.contains(Reason.USED) || r.contains(Reason.USED_CHILD)) {
                    r.add(Reason.RELEASED);
                } else {
                    if (held.tags().stream().anyMatch(usage::usesTag)) {
                        // A workload asks for a tag the quarantine removed (the scream test): never
                        // delete it.
                        r.add(Reason.USED);
                    }
                    if (now.isBefore(held.since().plus(policy.quarantineGrace())) || !r.isEmpty()) {
                        r.add(Reason.QUARANTINED);
                    }
                }
            }
            if (!r.isEmpty()) {
                protect.put(m.digest(), r);
            }
        }

        // Everything a kept manifest needs stays too: the children of a kept index and the
        // referrers of a
        // kept manifest, transitively (a signature of a child, an SBOM of an index).
        Map<String, List<String>> referrersOf = referrers(manifests);
        Deque<String> work = new ArrayDeque<>();
        for (Manifest m : manifests) {
            if (protect.containsKey(m.digest())
                    || m.tags().stream().anyMatch(t -> !tagKeeps.get(t).isEmpty())) {
                work.add(m.digest());
            }
        }
        Set<String> kept = new java.util.HashSet<>(work);
        while (!work.isEmpty()) {
            Manifest m = byDigest.get(work.poll());
            for (String child : m.children()) {
                keepDependent(child, Reason.INDEX_CHILD, byDigest, protect, kept, work);
            }
            for (String referrer : referrersOf.getOrDefault(m.digest(), List.of())) {
                keepDependent(referrer, Reason.REFERRER, byDigest, protect, kept, work);
            }
        }

        List<Decision> decisions = new ArrayList<>(manifests.size());
        for (Manifest m : manifests) {
            decisions.add(
                    quarantine(
                            decide(
                                    m,
                                    protect.get(m.digest()),
                                    tagKeeps,
                                    policy,
                                    pulledSince.get(m.digest())),
                            m,
                            q));
        }
        decisions.sort(
                Comparator.comparing(
                                Decision::createdTime,
                                Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(Decision::digest));
        return new Plan(artifacts.registry(), artifacts.repository(), now, decisions);
    }

    /**
     * A cosign-style tag whose image is not in this repository: cosign's {@code COSIGN_REPOSITORY}
     * keeps signatures apart from their images, and the image may be in use in another repository
     * (or registry) that this plan cannot see. An orphan left by a deleted image looks the same, so
     * it stays too.
     */
    private static boolean signsElsewhere(Manifest m, Map<String, Manifest> byDigest) {
        for (Tag t : m.tags()) {
            Matcher matcher = REFERRER_TAG.matcher(t.name());
            if (matcher.matches()
                    && !byDigest.containsKey(matcher.group(1) + ":" + matcher.group(2))) {
                return true;
            }
        }
        return false;
    }

    private static void keepDependent(
            String digest,
            Reason reason,
            Map<String, Manifest> byDigest,
            Map<String, EnumSet<Reason>> protect,
            Set<String> kept,
            Deque<String> work) {
        if (!byDigest.containsKey(digest)) {
            return;
        }
        protect.computeIfAbsent(digest, d -> EnumSet.noneOf(Reason.class)).add(reason);
        if (kept.add(digest)) {
            work.add(digest);
        }
    }

    /**
     * What quarantine changes in a decision: a quarantined untagged manifest kept by a rule other
     * than use stays in quarantine, one that goes has waited out its grace; a quarantined one that
     * has tags again is released unless it goes again (then it is quarantined anew).
     */
    private static Decision quarantine(Decision d, Manifest m, Quarantined q) {
        if (q.get(m.digest()) == null) {
            return d;
        }
        EnumSet<Reason> reasons = EnumSet.noneOf(Reason.class);
        reasons.addAll(d.reasons());
        if (!m.untagged()) {
            if (d.action() == Action.DELETE) {
                return d;
            }
            reasons.add(Reason.RELEASED);
        } else if (d.action() == Action.DELETE) {
            reasons.remove(Reason.UNTAGGED_EXPIRED);
            reasons.add(Reason.QUARANTINE_EXPIRED);
        } else if (!reasons.contains(Reason.RELEASED)) {
            reasons.add(Reason.QUARANTINED);
        }
        return new Decision(
                d.digest(),
                d.mediaType(),
                d.tags(),
                d.createdTime(),
                d.lastUpdateTime(),
                d.sizeBytes(),
                d.action(),
                d.untag(),
                List.copyOf(reasons),
                d.tagReasons(),
                d.children(),
                d.subject(),
                d.lastPulled());
    }

    /** Tag rules; the result maps every tag to the reasons it stays (empty: it goes). */
    private static Map<Tag, EnumSet<Reason>> decideTags(
            List<Manifest> manifests,
            Map<String, Manifest> byDigest,
            RepositoryUsage usage,
            RepositoryPolicy policy,
            Instant now) {
        // Identity: two equal tag records on different manifests must not share a verdict.
        Map<Tag, EnumSet<Reason>> keeps = new java.util.IdentityHashMap<>();
        List<Tag> versions = new ArrayList<>();
        for (Manifest m : manifests) {
            for (Tag t : m.tags()) {
                EnumSet<Reason> r = EnumSet.noneOf(Reason.class);
                if (policy.keepTags().stream().anyMatch(p -> p.matcher(t.name()).find())) {
                    r.add(Reason.LATEST);
                }
                if (usage.usesTag(t.name())) {
                    r.add(Reason.USED);
                }
                if (isYoung(t.createdTime(), t.lastUpdateTime(), policy, now)
                        || (t.createdTime() == null
                                && isYoung(m.createdTime(), m.lastUpdateTime(), policy, now))) {
                    r.add(Reason.YOUNG);
                }
                if (t.locked()) {
                    r.add(Reason.LOCKED);
                }
                keeps.put(t, r);
                // Signature and attestation tags follow their subject; they are not versions, so
                // they must
                // not take a keepRecent slot from a real build.
                if (!REFERRER_TAG.matcher(t.name()).matches()) {
                    versions.add(t);
                }
            }
        }
        versions.sort(
                Comparator.comparing((Tag t) -> recencyTime(t, byDigest))
                        .reversed()
                        .thenComparing(Tag::name));

        int recent = 0;
        int[] shared = new int[policy.keepRecentPerBranch().size()];
        List<Map<String, Integer>> perBranch = new ArrayList<>();
        policy.keepRecentPerBranch().forEach(rule -> perBranch.add(new HashMap<>()));
        for (Tag t : versions) {
            if (recent < policy.keepRecent()) {
                keeps.get(t).add(Reason.RECENT);
                recent++;
            }
            if (policy.keepRecentPerBranch().isEmpty()) {
                continue;
            }
            Optional<String> branch = policy.tagScheme().branchOf(t.name());
            if (branch.isEmpty()) {
                continue;
            }
            for (int i = 0; i < shared.length; i++) {
                BranchRule rule = policy.keepRecentPerBranch().get(i);
                if (!rule.matches(branch.get())) {
                    continue;
                }
                int seen =
                        rule.each()
                                ? perBranch.get(i).merge(branch.get(), 1, Integer::sum) - 1
                                : shared[i]++;
                if (seen < rule.keep()) {
                    keeps.get(t).add(Reason.RECENT_BRANCH);
                }
            }
        }
        return keeps;
    }

    /**
     * The manifests pulled within {@code keepPulledWithin}, with their last pull; empty when the
     * rule is off or the registry's pulls are not in the inventory (then the run's guards withhold
     * deletion).
     */
    private static Map<String, Instant> recentPulls(
            RepositoryArtifacts artifacts,
            UsedImages usedImages,
            RepositoryPolicy policy,
            Instant now) {
        if (policy.keepPulledWithin() == null) {
            return Map.of();
        }
        Instant since = now.minus(policy.keepPulledWithin());
        Map<String, Instant> pulled = new HashMap<>();
        usedImages
                .pullsOf(artifacts.registry())
                .ifPresent(
                        p ->
                                p.lastPullByDigest(artifacts.repository(), artifacts.manifests())
                                        .forEach(
                                                (digest, last) -> {
                                                    if (last.isAfter(since)) {
                                                        pulled.put(digest, last);
                                                    }
                                                }));
        return pulled;
    }

    private static Decision decide(
            Manifest m,
            EnumSet<Reason> protectedBy,
            Map<Tag, EnumSet<Reason>> tagKeeps,
            RepositoryPolicy policy,
            Instant lastPulled) {
        Map<String, List<Reason>> tagReasons = new LinkedHashMap<>();
        EnumSet<Reason> reasons =
                protectedBy == null ? EnumSet.noneOf(Reason.class) : EnumSet.copyOf(protectedBy);
        List<String> going = new ArrayList<>();
        for (Tag t : m.tags()) {
            EnumSet<Reason> r = tagKeeps.get(t);
            if (!r.isEmpty()) {
                reasons.addAll(r);
                tagReasons.put(t.name(), List.copyOf(r));
            } else if (protectedBy != null) {
                tagReasons.put(t.name(), List.of(Reason.SHARES_MANIFEST));
            } else {
                going.add(t.name());
                tagReasons.put(t.name(), List.of(Reason.EXPIRED));
            }
        }
        Action action;
        if (!reasons.isEmpty()) {
            action = going.isEmpty() ? Action.KEEP : Action.UNTAG;
        } else {
            action = Action.DELETE;
            reasons.add(m.untagged() ? Reason.UNTAGGED_EXPIRED : Reason.EXPIRED);
        }
        return new Decision(
                m.digest(),
                m.mediaType(),
                m.tagNames(),
                m.createdTime(),
                m.lastUpdateTime(),
                m.sizeBytes(),
                action,
                action == Action.UNTAG ? going : List.of(),
                List.copyOf(reasons),
                tagReasons,
                m.children(),
                m.subject(),
                lastPulled);
    }

    /**
     * Young when created within {@code keepYoungerThan} of now. A missing creation time falls back
     * to the update time; a time after now (pushed during the run, or clock skew) is young; no time
     * at all is young too, since nothing proves the artifact old.
     */
    private static boolean isYoung(
            Instant created, Instant updated, RepositoryPolicy policy, Instant now) {
        Instant t = created != null ? created : updated;
        return t == null || t.isAfter(now.minus(policy.keepYoungerThan()));
    }

    /**
     * The time recency counts by: the tag's last update, else its creation, else its manifest's.
     */
    private static Instant recencyTime(Tag t, Map<String, Manifest> byDigest) {
        if (t.lastUpdateTime() != null) {
            return t.lastUpdateTime();
        }
        if (t.createdTime() != null) {
            return t.createdTime();
        }
        Manifest m = byDigest.get(t.digest());
        Instant mt =
                m == null
                        ? null
                        : (m.lastUpdateTime() != null ? m.lastUpdateTime() : m.createdTime());
        return mt != null ? mt : Instant.EPOCH;
    }

    /** Which manifests refer to which: by their {@code subject}, or by a cosign-style tag. */
    private static Map<String, List<String>> referrers(List<Manifest> manifests) {
        Map<String, List<String>> out = new HashMap<>();
        for (Manifest m : manifests) {
            if (m.subject() != null) {
                out.computeIfAbsent(m.subject(), s -> new ArrayList<>()).add(m.digest());
            }
            for (Tag t : m.tags()) {
                Matcher matcher = REFERRER_TAG.matcher(t.name());
                if (matcher.matches()) {
                    out.computeIfAbsent(
                                    matcher.group(1) + ":" + matcher.group(2),
                                    s -> new ArrayList<>())
                            .add(m.digest());
                }
            }
        }
        return out;
    }
}
