package io.acrretention.testing;

import io.acrretention.registry.Manifest;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds repositories for tests: manifests with ages in days relative to a fixed clock. */
public final class Repo {
    public static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    public static final String REGISTRY = "mactemp.azurecr.io";

    private final String name;
    private final List<Manifest> manifests = new ArrayList<>();

    private Repo(String name) {
        this.name = name;
    }

    public static Repo named(String name) {
        return new Repo(name);
    }

    public static Instant daysAgo(double days) {
        return NOW.minus(Duration.ofMinutes(Math.round(days * 24 * 60)));
    }

    /** A deterministic digest for a short label: the SHA-256 of the label. */
    public static String digest(String label) {
        try {
            byte[] h =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(label.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(h);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Repo image(String label, double ageDays, String... tags) {
        return add(label, ageDays, List.of(), null, true, tags);
    }

    public Repo index(String label, double ageDays, List<String> childLabels, String... tags) {
        return add(
                label, ageDays, childLabels.stream().map(Repo::digest).toList(), null, true, tags);
    }

    public Repo referrer(String label, double ageDays, String subjectLabel, String... tags) {
        return add(label, ageDays, List.of(), digest(subjectLabel), true, tags);
    }

    public Repo locked(String label, double ageDays, String... tags) {
        return add(label, ageDays, List.of(), null, false, tags);
    }

    public Repo add(Manifest m) {
        manifests.add(m);
        return this;
    }

    private Repo add(
            String label,
            double ageDays,
            List<String> children,
            String subject,
            boolean deleteEnabled,
            String... tags) {
        Instant t = daysAgo(ageDays);
        String d = digest(label);
        List<Tag> tagList = new ArrayList<>();
        for (String tag : tags) {
            tagList.add(new Tag(tag, d, t, t, true, true));
        }
        manifests.add(
                new Manifest(
                        d,
                        "application/vnd.oci.image.manifest.v1+json",
                        1000,
                        t,
                        t,
                        deleteEnabled,
                        true,
                        tagList,
                        children,
                        subject));
        return this;
    }

    public RepositoryArtifacts build() {
        return new RepositoryArtifacts(REGISTRY, name, manifests);
    }
}
