package io.acrretention.inventory;

/**
 * Listing a cluster's images failed; the message names the cluster, what was being listed and why.
 */
public final class InventoryException extends RuntimeException {
    public InventoryException(String message) {
        super(message);
    }

    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
