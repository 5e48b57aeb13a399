package io.acrretention.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QuotaPlanTest {
    @Test
    void premiumRunsEightWritersPacedAtNinetyFivePercentOfTwoThousandAMinute() {
        QuotaPlan p = QuotaPlan.of(RegistryQuota.Sku.PREMIUM.quota(), 8);

        assertEquals(8, p.deleteConcurrency());
        assertEquals(2000 * 0.95 / 60, p.writesPerSecond(), 1e-9);
        assertEquals(p.writesPerSecond() / 2, p.startWritesPerSecond(), 1e-9);
        assertEquals(Duration.ofSeconds(30), p.ramp());
        assertEquals(Duration.ofSeconds(3), p.hold());
    }

    @Test
    void everySkuTakesOneRepositoryPerInstanceOnFlexsFortyInstances() {
        for (RegistryQuota.Sku sku : RegistryQuota.Sku.values()) {
            QuotaPlan p = QuotaPlan.of(sku.quota(), 8);
            assertEquals(1, p.batchSize(), sku.json());
            assertEquals(0, p.newBatchThreshold(), sku.json());
            assertEquals(40, p.maximumInstanceCount(), sku.json());
        }
    }

    @Test
    void smallerQuotasNeedFewerWriters() {
        assertEquals(2, QuotaPlan.of(RegistryQuota.Sku.STANDARD.quota(), 8).deleteConcurrency());
        assertEquals(1, QuotaPlan.of(RegistryQuota.Sku.BASIC.quota(), 8).deleteConcurrency());
        assertEquals(
                3,
                QuotaPlan.of(RegistryQuota.Sku.PREMIUM.quota(), 3).deleteConcurrency(),
                "limits.deleteConcurrency caps the derived concurrency");
    }

    @Test
    void theReadQuotaBindsWhenItIsTheLowerSinceEveryDeleteIsReadFirst() {
        QuotaPlan p = QuotaPlan.of(new RegistryQuota(null, 2000, 600), 8);
        assertEquals(600 * 0.95 / 60, p.writesPerSecond(), 1e-9);
    }

    @Test
    void anyQuotaGivesAPlanTheHostAndThePacerAccept() {
        qt().forAll(integers().between(1, 1_000_000), integers().between(1, 1_000_000))
                .checkAssert(
                        (w, r) -> {
                            QuotaPlan p = QuotaPlan.of(new RegistryQuota(null, w, r), 64);
                            assertTrue(p.deleteConcurrency() >= 1 && p.deleteConcurrency() <= 64);
                            assertTrue(p.writesPerSecond() > 0);
                            assertTrue(
                                    p.writesPerSecond() * 60 <= Math.min(w, r),
                                    "one instance alone stays under the quota");
                            assertTrue(p.batchSize() >= 1 && p.batchSize() <= 4);
                            assertTrue(
                                    p.maximumInstanceCount() >= QuotaPlan.FLEX_MIN_INSTANCES
                                            && p.maximumInstanceCount()
                                                    <= QuotaPlan.FLEX_MAX_INSTANCES);
                        });
    }
}
