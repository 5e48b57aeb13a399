package io.acrretention.store;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import io.acrretention.cleanup.DeleteBudget;

/**
 * {@code maxDeletesPerRun} across every function instance of a run: a counter blob (the run's
 * {@code runs/{runId}/deletes}) advanced with ETag-conditional writes. Each instance reserves a few
 * units at a time so a busy run does not write the blob per delete; units reserved and not used are
 * lost, which can only make a run delete less than the cap, never more. A counter that cannot be
 * read or written stops the cleaner's writes (it throws, and the cleaner fails closed).
 */
public final class BlobDeleteBudget implements DeleteBudget {
    private static final int CHUNK = 8;
    private static final int MAX_CONFLICTS = 50;

    private final BlobClient blob;
    private final long max;
    private long reserved;
    private long used;

    /**
     * @param path the run's counter blob
     */
    public BlobDeleteBudget(BlobContainerClient container, String path, long max) {
        this.blob = container.getBlobClient(path);
        this.max = max;
    }

    @Override
    public synchronized boolean tryAcquire() {
        if (used == reserved && !reserve()) {
            return false;
        }
        used++;
        return true;
    }

    @Override
    public synchronized long used() {
        return used;
    }

    /**
     * The units taken so far; a counter that is not a count fails closed instead of being read as
     * zero.
     */
    private long count(String text) {
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the content
        }
        throw new IllegalStateException(
                "delete budget "
                        + blob.getBlobName()
                        + " is unreadable: '"
                        + text
                        + "' is not a count; stopping deletions rather than exceeding maxDeletesPerRun");
    }

    private boolean reserve() {
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            long taken;
            String etag;
            try {
                var content = blob.downloadContentWithResponse(null, null, null, null);
                taken = count(content.getValue().toString());
                etag = content.getDeserializedHeaders().getETag();
            } catch (BlobStorageException e) {
                if (e.getErrorCode() != BlobErrorCode.BLOB_NOT_FOUND) {
                    throw new IllegalStateException(
                            "delete budget "
                                    + blob.getBlobName()
                                    + " could not be read ("
                                    + e.getStatusCode()
                                    + " "
                                    + e.getErrorCode()
                                    + "); stopping deletions rather than"
                                    + " exceeding maxDeletesPerRun",
                            e);
                }
                taken = 0;
                etag = null;
            }
            if (taken >= max) {
                return false;
            }
            long grant = Math.min(CHUNK, max - taken);
            BlobRequestConditions onlyIfUnchanged =
                    etag == null
                            ? new BlobRequestConditions().setIfNoneMatch("*")
                            : new BlobRequestConditions().setIfMatch(etag);
            try {
                blob.uploadWithResponse(
                        new BlobParallelUploadOptions(
                                        BinaryData.fromString(Long.toString(taken + grant)))
                                .setRequestConditions(onlyIfUnchanged),
                        null,
                        null);
                reserved += grant;
                return true;
            } catch (BlobStorageException e) {
                // Another instance moved the counter first (412, or 409 when both created it): read
                // it again.
                if (e.getStatusCode() != 412 && e.getStatusCode() != 409) {
                    throw e;
                }
            }
        }
        throw new IllegalStateException(
                "delete budget "
                        + blob.getBlobName()
                        + " kept changing under "
                        + MAX_CONFLICTS
                        + " attempts; stopping deletions rather than exceeding maxDeletesPerRun");
    }
}
