package io.acrretention.retention;

import static io.acrretention.testing.Repo.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.PolicyParser;
import io.acrretention.inventory.ClusterStatus;
import io.acrretention.inventory.UsedImage;
import io.acrretention.inventory.UsedImages;
import io.acrretention.testing.Inventories;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuardsTest {
    private static final RetentionPolicy DEFAULTS = RetentionPolicy.defaults();

    @Test
    void aCompleteFreshInventoryWithEnoughImagesAllowsDeletion() {
        assertEquals(List.of(), Guards.check(Inventories.using("a.azurecr.io/x:1"), DEFAULTS, NOW));
    }

    @Test
    void anIncompleteInventoryWithholdsDeletionAndNamesTheFailedCluster() {
        UsedImages inv = new UsedImages("run-7", NOW, false,
                List.of(ClusterStatus.ok("prod", 3, 10), ClusterStatus.failed("edge", 60000, "time-out after PT60S")),
                List.of(new UsedImage("a.azurecr.io/x:1", null, List.of("prod"))), List.of());
        List<Withheld> w = Guards.check(inv, DEFAULTS, NOW);
        assertEquals(1, w.size());
        assertEquals(Withheld.Cause.INVENTORY_INCOMPLETE, w.get(0).cause());
        assertTrue(w.get(0).message().contains("edge (time-out after PT60S)"), w.get(0).message());
    }

    @Test
    void fewerUsedImagesThanTheMinimumWithholdsDeletion() {
        RetentionPolicy p = PolicyParser.parse("{\"minUsedImages\": 600}");
        List<Withheld> w = Guards.check(Inventories.using("a.azurecr.io/x:1"), p, NOW);
        assertEquals(Withheld.Cause.TOO_FEW_USED_IMAGES, w.get(0).cause());
        assertTrue(w.get(0).message().contains("lists 1 used images, fewer than minUsedImages 600"));
    }

    @Test
    void anEmptyInventoryWithholdsDeletionByDefault() {
        assertEquals(Withheld.Cause.TOO_FEW_USED_IMAGES, Guards.check(Inventories.using(), DEFAULTS, NOW).get(0).cause());
    }

    @Test
    void aStaleInventoryWithholdsDeletion() {
        UsedImages old = Inventories.using(NOW.minus(Duration.ofHours(7)), "a.azurecr.io/x:1");
        List<Withheld> w = Guards.check(old, DEFAULTS, NOW);
        assertEquals(Withheld.Cause.INVENTORY_STALE, w.get(0).cause());
        assertTrue(w.get(0).message().contains("PT7H"), w.get(0).message());
    }

    @Test
    void everyFailingGuardIsReported() {
        UsedImages inv = new UsedImages("r", NOW.minus(Duration.ofDays(1)), false,
                List.of(ClusterStatus.failed("prod", 1, "401 Unauthorized")), List.of(), List.of());
        assertEquals(3, Guards.check(inv, DEFAULTS, NOW).size());
    }

    @Test
    void theDeleteCapWithholdsOnceItMadeTheRunSkipAWrite() {
        RetentionPolicy p = PolicyParser.parse("{\"maxDeletesPerRun\": 2}");
        assertEquals(List.of(), Guards.deleteCap(0, p));
        assertEquals(Withheld.Cause.DELETE_CAP_REACHED, Guards.deleteCap(3, p).get(0).cause());
        assertTrue(Guards.deleteCap(3, p).get(0).message().contains("maxDeletesPerRun 2"));
    }
}
