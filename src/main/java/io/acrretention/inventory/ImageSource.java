package io.acrretention.inventory;

/**
 * Lists the images one configured cluster uses. One instance per cluster; safe to call once per
 * run.
 */
public interface ImageSource {
    /** The cluster's configured name. */
    String cluster();

    /**
     * Lists everything and reports each image to {@code sink}; returns only when the listing is
     * complete.
     *
     * @throws InventoryException (or any runtime exception) when anything could not be listed in
     *     full
     */
    void collect(ImageSink sink);

    /**
     * The fewest distinct images a whole answer of this cluster can have: fewer fails the cluster,
     * because a cluster that answers 200 with half its namespaces missing must not look like a
     * quiet week. 0: no minimum.
     */
    default int minImages() {
        return 0;
    }
}
