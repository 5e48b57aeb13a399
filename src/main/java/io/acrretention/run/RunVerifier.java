package io.acrretention.run;

import io.acrretention.cleanup.Report;
import io.acrretention.cleanup.ReportEntry;
import io.acrretention.cleanup.Result;
import io.acrretention.image.ImageReference;
import io.acrretention.log.Log;
import io.acrretention.log.LogLine;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Proves after a run that deleted that every image the clusters use still resolves: one {@code
 * HEAD} per used image of a configured registry, by digest when the inventory knows it, else by
 * tag. A check that fails is reported as missing: an image nobody could find is what an outage
 * looks like.
 */
public final class RunVerifier {
    private static final Log LOG = Log.of(RunVerifier.class);

    private final Map<String, Registry> registries;

    public RunVerifier(Map<String, Registry> registries) {
        this.registries = Map.copyOf(registries);
    }

    /** Whether the run changed any registry, so that verifying it means something. */
    public static boolean changedAnything(List<Report> reports) {
        return reports.stream()
                .flatMap(r -> r.entries().stream())
                .anyMatch(e -> e.result() == Result.DELETED || e.result() == Result.UNTAGGED);
    }

    public Verification verify(String runId, UsedImages inventory, List<Report> reports) {
        Map<String, UsedImage> toCheck = new LinkedHashMap<>();
        for (UsedImage image : inventory.images()) {
            ImageReference ref = ImageReference.tryParse(image.reference()).orElse(null);
            if (ref == null || !registries.containsKey(ref.registry().toLowerCase(Locale.ROOT))) {
                continue;
            }
            toCheck.putIfAbsent(ref.name() + "@" + reference(image, ref), image);
        }
        List<Verification.Missing> missing = new ArrayList<>();
        for (UsedImage image : toCheck.values()) {
            ImageReference ref = ImageReference.parse(image.reference());
            String registry = ref.registry().toLowerCase(Locale.ROOT);
            String reference = reference(image, ref);
            String error = null;
            boolean found;
            try {
                found = registries.get(registry).exists(ref.repository(), reference);
            } catch (RegistryException e) {
                found = false;
                error = e.getMessage();
            }
            if (!found) {
                boolean ours = deletedByRun(reports, registry, ref.repository(), reference);
                missing.add(
                        new Verification.Missing(
                                image.reference(),
                                registry,
                                ref.repository(),
                                reference,
                                ours,
                                error));
                String why = error == null ? "" : " (" + error + ")";
                LOG.error(
                        () ->
                                LogLine.of(
                                        runId,
                                        registry,
                                        ref.repository(),
                                        "used image "
                                                + image.reference()
                                                + " no longer resolves"
                                                + why
                                                + (ours
                                                        ? "; this run deleted it"
                                                        : "; not deleted by this run")));
            }
        }
        missing.sort(Comparator.comparing(Verification.Missing::image));
        return new Verification(toCheck.size(), missing);
    }

    private static String reference(UsedImage image, ImageReference ref) {
        if (image.digest() != null) {
            return image.digest();
        }
        return ref.digest().orElseGet(() -> ref.tag().orElse("latest"));
    }

    private static boolean deletedByRun(
            List<Report> reports, String registry, String repository, String reference) {
        for (Report r : reports) {
            if (!r.registry().equals(registry) || !r.repository().equals(repository)) {
                continue;
            }
            for (ReportEntry e : r.entries()) {
                boolean deleted =
                        e.result() == Result.DELETED
                                && (e.digest().equals(reference) || e.tags().contains(reference));
                boolean untagged = e.result() == Result.UNTAGGED && e.untag().contains(reference);
                if (deleted || untagged) {
                    return true;
                }
            }
        }
        return false;
    }
}
