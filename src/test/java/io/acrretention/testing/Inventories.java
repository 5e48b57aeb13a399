package io.acrretention.testing;

import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** Used-image manifests for tests. */
public final class Inventories {
    private Inventories() {}

    /** A complete inventory of one healthy cluster using the given references. */
    public static UsedImages using(String... references) {
        return using(Repo.NOW, references);
    }

    public static UsedImages using(Instant collectedAt, String... references) {
        List<UsedImage> images =
                Arrays.stream(references)
                        .map(r -> new UsedImage(r, null, List.of("prod")))
                        .toList();
        return new UsedImages(
                "20261123T000000Z-0001",
                collectedAt,
                true,
                List.of(ClusterStatus.ok("prod", images.size(), 10)),
                images,
                List.of());
    }
}
