package io.acrretention.server;

import com.fasterxml.jackson.core.JsonGenerator;
import io.acrretention.config.Limits;
import io.acrretention.image.ImageReference;
import io.acrretention.inventory.ImageSource;
import io.acrretention.inventory.InventoryCollector;
import io.acrretention.json.Json;
import io.acrretention.log.Log;
import io.acrretention.usage.IgnoredReference;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Lists this cluster with the fail-closed collector the retention app uses, and turns the result
 * into the endpoint contract's body.
 */
final class ClusterLister implements Supplier<Listing> {
    private static final Log LOG = Log.of(ClusterLister.class);

    private static final int MAX_FAILURE_CHARS = 300;

    private final ImageSource source;
    private final Limits limits;

    /**
     * @param source this cluster, listed through the pod's service account
     */
    ClusterLister(ServerConfig config, ImageSource source) {
        ServerConfig.Kubernetes k = config.kubernetes();
        this.limits =
                new Limits(
                        config.listTimeout(),
                        config.listTimeout(),
                        k.maxResponseBytes(),
                        1,
                        k.requestTimeout(),
                        1);
        this.source = source;
    }

    @Override
    public Listing get() {
        UsedImages used =
                new InventoryCollector(List.of(source), limits, Clock.systemUTC()).collect("serve");
        if (!used.complete()) {
            String error = used.failedClusters().get(0).error();
            LOG.warn(error);
            return Listing.failed(
                    error.length() > MAX_FAILURE_CHARS
                            ? error.substring(0, MAX_FAILURE_CHARS) + "..."
                            : error);
        }
        TreeSet<String> images = images(used);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + images.size() * 64);
        try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("images");
            for (String image : images) {
                g.writeString(image);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing the image list failed", e);
        }
        LOG.info(
                "listed the cluster: "
                        + images.size()
                        + " images in "
                        + used.clusters().get(0).durationMs()
                        + " ms");
        return Listing.ok(out.toByteArray(), images.size());
    }

    /**
     * Each reference as the pods name it and, when the digest that runs is known, with that digest
     * as well: the contract carries strings only, and neither the tag nor the digest may be lost.
     * References that do not parse are passed on too, so the caller records them as ignored just as
     * a direct listing would.
     */
    static TreeSet<String> images(UsedImages used) {
        TreeSet<String> images = new TreeSet<>();
        for (UsedImage image : used.images()) {
            images.add(image.reference());
            if (image.digest() != null) {
                ImageReference ref = ImageReference.parse(image.reference());
                if (ref.digest().isEmpty()) {
                    images.add(
                            ImageReference.of(
                                            ref.registry(),
                                            ref.repository(),
                                            ref.tag().orElse(null),
                                            image.digest())
                                    .toString());
                } else if (!ref.digest().get().equals(image.digest())) {
                    images.add(
                            ImageReference.of(
                                            ref.registry(), ref.repository(), null, image.digest())
                                    .toString());
                }
            }
        }
        for (IgnoredReference ignored : used.ignored()) {
            if (!ignored.reference().isBlank()) {
                images.add(ignored.reference());
            }
        }
        return images;
    }
}
