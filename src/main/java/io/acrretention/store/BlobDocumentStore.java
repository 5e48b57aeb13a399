package io.acrretention.store;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import java.util.List;
import java.util.Optional;

/**
 * Documents as block blobs in one container, created when missing. A blob upload replaces it whole.
 */
public final class BlobDocumentStore implements DocumentStore {
    private final BlobContainerClient container;

    public BlobDocumentStore(BlobContainerClient container) {
        this.container = container;
        try {
            container.createIfNotExists();
        } catch (RuntimeException e) {
            throw new StoreException(
                    "create blob container "
                            + container.getBlobContainerUrl()
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public void put(String path, byte[] json) {
        BlobClient blob = container.getBlobClient(DocumentStore.checkPath(path));
        try {
            blob.uploadWithResponse(
                    new BlobParallelUploadOptions(BinaryData.fromBytes(json))
                            .setHeaders(new BlobHttpHeaders().setContentType(contentType(path))),
                    null,
                    null);
        } catch (RuntimeException e) {
            throw new StoreException(
                    "write blob " + blob.getBlobUrl() + " failed: " + e.getMessage(), e);
        }
    }

    /** The run page must open as a page when fetched from the container, not download as JSON. */
    private static String contentType(String path) {
        return path.endsWith(".html") ? "text/html; charset=utf-8" : "application/json";
    }

    @Override
    public boolean create(String path, byte[] json) {
        BlobClient blob = container.getBlobClient(DocumentStore.checkPath(path));
        try {
            blob.uploadWithResponse(
                    new BlobParallelUploadOptions(BinaryData.fromBytes(json))
                            .setHeaders(new BlobHttpHeaders().setContentType("application/json"))
                            .setRequestConditions(new BlobRequestConditions().setIfNoneMatch("*")),
                    null,
                    null);
            return true;
        } catch (BlobStorageException e) {
            // 409 BlobAlreadyExists; 412 when the service reports the If-None-Match precondition
            // instead.
            if (e.getStatusCode() == 409 || e.getStatusCode() == 412) {
                return false;
            }
            throw new StoreException(
                    "create blob " + blob.getBlobUrl() + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StoreException(
                    "create blob " + blob.getBlobUrl() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> get(String path) {
        BlobClient blob = container.getBlobClient(DocumentStore.checkPath(path));
        try {
            return Optional.of(blob.downloadContent().toBytes());
        } catch (BlobStorageException e) {
            if (e.getStatusCode() == 404) {
                return Optional.empty();
            }
            throw new StoreException(
                    "read blob " + blob.getBlobUrl() + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StoreException(
                    "read blob " + blob.getBlobUrl() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String path) {
        BlobClient blob = container.getBlobClient(DocumentStore.checkPath(path));
        try {
            return blob.deleteIfExists();
        } catch (RuntimeException e) {
            throw new StoreException(
                    "delete blob " + blob.getBlobUrl() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        try {
            return container.listBlobs(new ListBlobsOptions().setPrefix(prefix), null).stream()
                    .map(BlobItem::getName)
                    .sorted()
                    .toList();
        } catch (RuntimeException e) {
            throw new StoreException(
                    "list blobs under '"
                            + prefix
                            + "' in "
                            + container.getBlobContainerUrl()
                            + " failed: "
                            + e.getMessage(),
                    e);
        }
    }
}
