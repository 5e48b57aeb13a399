package io.acrretention.retention;

import static io.acrretention.testing.Repo.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acrretention.config.PolicyParser;
import io.acrretention.testing.Inventories;
import io.acrretention.usage.Baseline;
import io.acrretention.usage.ClusterStatus;
import io.acrretention.usage.UsedImage;
import io.acrretention.usage.UsedImages;
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
        UsedImages inv =
                new UsedImages(
                        "run-7",
                        NOW,
                        false,
                        List.of(
                                ClusterStatus.ok("prod", 3, 10),
                                ClusterStatus.failed("edge", 60000, "time-out after PT60S")),
                        List.of(new UsedImage("a.azurecr.io/x:1", null, List.of("prod"))),
                        List.of());
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
        assertTrue(
                w.get(0).message().contains("lists 1 used images, fewer than minUsedImages 600"));
    }

    @Test
    void anEmptyInventoryWithholdsDeletionByDefault() {
        assertEquals(
                Withheld.Cause.TOO_FEW_USED_IMAGES,
                Guards.check(Inventories.using(), DEFAULTS, NOW).get(0).cause());
    }

    @Test
    void aStaleInventoryWithholdsDeletion() {
        UsedImages old = Inventories.using(NOW.minus(Duration.ofHours(7)), "a.azurecr.io/x:1");
        List<Withheld> w = Guards.check(old, DEFAULTS, NOW);
        assertEquals(Withheld.Cause.INVENTORY_STALE, w.get(0).cause());
        assertTrue(w.get(0).message().contains("PT7H"), w.get(0).message());
    }

    @Test
    void aRepositoryIsStaleByItsOwnMaxInventoryAgeAndShortOfImagesByTheRunWideMinimum() {
        RetentionPolicy p =
                PolicyParser.parse(
                        """
                {"minUsedImages": 2, "overrides": [{"repositories": ["fast/**"], "maxInventoryAge": "PT1H"}]}""");
        UsedImages twoHoursOld =
                Inventories.using(NOW.minus(Duration.ofHours(2)), "a.azurecr.io/x:1");

        assertEquals(
                List.of(Withheld.Cause.TOO_FEW_USED_IMAGES, Withheld.Cause.INVENTORY_STALE),
                Guards.check(twoHoursOld, p, p.forRepository("fast/api"), NOW).stream()
                        .map(Withheld::cause)
                        .toList());
        assertEquals(
                List.of(Withheld.Cause.TOO_FEW_USED_IMAGES),
                Guards.check(twoHoursOld, p, p.forRepository("slow/api"), NOW).stream()
                        .map(Withheld::cause)
                        .toList());
    }

    @Test
    void everyFailingGuardIsReported() {
        UsedImages inv =
                new UsedImages(
                        "r",
                        NOW.minus(Duration.ofDays(1)),
                        false,
                        List.of(ClusterStatus.failed("prod", 1, "401 Unauthorized")),
                        List.of(),
                        List.of());
        assertEquals(3, Guards.check(inv, DEFAULTS, NOW).size());
    }

    static UsedImages usingImages(int n, Baseline baseline) {
        String[] refs = new String[n];
        for (int i = 0; i < n; i++) {
            refs[i] = "a.azurecr.io/x:" + i;
        }
        return Inventories.using(refs).withBaseline(baseline);
    }

    @Test
    void usedImagesDroppedByHalfSinceTheLastCompleteRunWithholdDeletionNamingBothNumbers() {
        List<Withheld> w =
                Guards.check(usingImages(406, new Baseline("run-0", 812)), DEFAULTS, NOW);
        assertEquals(
                List.of(Withheld.Cause.USED_IMAGES_DROPPED),
                w.stream().map(Withheld::cause).toList());
        assertEquals(
                "inventory 20261123T000000Z-0001 lists 406 used images, 50% fewer than the 812 of the last complete run run-0, "
                        + "at least maxUsedImagesDrop 0.5",
                w.get(0).message());
        assertTrue(Guards.trustedAsBaseline(List.of()));
        assertEquals(false, Guards.trustedAsBaseline(w));
    }

    @Test
    void aSmallerDropOrAGrowthOrNoBaselineAllowsDeletion() {
        assertEquals(
                List.of(),
                Guards.check(usingImages(407, new Baseline("run-0", 812)), DEFAULTS, NOW));
        assertEquals(
                List.of(),
                Guards.check(usingImages(900, new Baseline("run-0", 812)), DEFAULTS, NOW));
        assertEquals(List.of(), Guards.check(usingImages(3, null), DEFAULTS, NOW));
        assertEquals(
                List.of(), Guards.check(usingImages(3, new Baseline("run-0", 0)), DEFAULTS, NOW));
    }

    @Test
    void maxUsedImagesDropIsConfigurableFromZeroToOne() {
        RetentionPolicy strict = PolicyParser.parse("{\"maxUsedImagesDrop\": 0.1}");
        assertEquals(
                Withheld.Cause.USED_IMAGES_DROPPED,
                Guards.check(usingImages(90, new Baseline("run-0", 100)), strict, NOW)
                        .get(0)
                        .cause());
        RetentionPolicy zero = PolicyParser.parse("{\"maxUsedImagesDrop\": 0}");
        assertEquals(
                List.of(),
                Guards.check(usingImages(100, new Baseline("run-0", 100)), zero, NOW),
                "no drop at all is never withheld");
        assertEquals(0.5, DEFAULTS.maxUsedImagesDrop());
    }

    @Test
    void theDeleteCapWithholdsOnceItMadeTheRunSkipAWrite() {
        RetentionPolicy p = PolicyParser.parse("{\"maxDeletesPerRun\": 2}");
        assertEquals(List.of(), Guards.deleteCap(0, p));
        assertEquals(Withheld.Cause.DELETE_CAP_REACHED, Guards.deleteCap(3, p).get(0).cause());
        assertTrue(Guards.deleteCap(3, p).get(0).message().contains("maxDeletesPerRun 2"));
    }
}
