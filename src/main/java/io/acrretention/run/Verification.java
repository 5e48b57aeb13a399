package io.acrretention.run;

import java.util.List;

/**
 * After a run that deleted: how many used images were checked to still resolve, and which do not.
 * Anything missing is an error of the run (exit 4).
 *
 * @param missing sorted by image
 */
public record Verification(int checked, List<Missing> missing) {
    public Verification {
        missing = List.copyOf(missing);
    }

    /**
     * @param reference the digest, else the tag, that was looked up
     * @param deletedByThisRun whether this run deleted that manifest or removed that tag
     * @param error why it could not be checked (an unchecked image counts as missing), or null
     */
    public record Missing(
            String image,
            String registry,
            String repository,
            String reference,
            boolean deletedByThisRun,
            String error) {}
}
