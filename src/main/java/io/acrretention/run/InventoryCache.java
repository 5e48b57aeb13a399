package io.acrretention.run;

import io.acrretention.usage.UsedImages;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The inventories of recent runs, read once per instance: every repository message of a run names
 * the same inventory, and re-reading and re-validating it per message would cost more than the
 * planning.
 */
public final class InventoryCache {
    private static final int KEEP = 4;

    private final RunDocuments documents;
    private final Map<String, UsedImages> cache =
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, UsedImages> eldest) {
                    return size() > KEEP;
                }
            };

    public InventoryCache(RunDocuments documents) {
        this.documents = documents;
    }

    /**
     * The run's inventory.
     *
     * @throws RepositoryMessage.InvalidMessageException when the inventory does not exist
     */
    public synchronized UsedImages get(String runId) {
        UsedImages cached = cache.get(runId);
        if (cached == null) {
            cached =
                    documents
                            .inventory(runId)
                            .orElseThrow(
                                    () ->
                                            new RepositoryMessage.InvalidMessageException(
                                                    "inventory "
                                                            + RunDocuments.inventoryPath(runId)
                                                            + " does not exist: nothing can be proved unused, so nothing is deleted"));
            cache.put(runId, cached);
        }
        return cached;
    }
}
