package io.acrretention.run;

import io.acrretention.store.InventoryStore;
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

    private final InventoryStore store;
    private final Map<String, UsedImages> cache =
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, UsedImages> eldest) {
                    return size() > KEEP;
                }
            };

    public InventoryCache(InventoryStore store) {
        this.store = store;
    }

    /**
     * @throws RepositoryMessage.InvalidMessageException when the inventory does not exist
     */
    public synchronized UsedImages get(String path) {
        UsedImages cached = cache.get(path);
        if (cached == null) {
            cached =
                    store.find(path)
                            .orElseThrow(
                                    () ->
                                            new RepositoryMessage.InvalidMessageException(
                                                    "inventory "
                                                            + path
                                                            + " does not exist: nothing can be proved unused, so nothing is deleted"));
            cache.put(path, cached);
        }
        return cached;
    }
}
