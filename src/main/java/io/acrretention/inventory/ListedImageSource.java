package io.acrretention.inventory;

import java.util.List;

/**
 * A cluster whose images are given as a list: what the demo's bundled clusters are. Each string
 * goes through the same parsing as a listed pod's image, so a placeholder in the list is ignored
 * just as it would be.
 */
public final class ListedImageSource implements ImageSource {
    private final String cluster;
    private final List<String> images;

    public ListedImageSource(String cluster, List<String> images) {
        this.cluster = cluster;
        this.images = List.copyOf(images);
    }

    @Override
    public String cluster() {
        return cluster;
    }

    @Override
    public void collect(ImageSink sink) {
        sink.listing("list bundled images");
        images.forEach(image -> sink.usedOrIgnored(image, null));
    }
}
