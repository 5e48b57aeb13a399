package io.acrretention.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import io.acrretention.run.RunDocuments;
import io.acrretention.testing.Azurite;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** maxDeletesPerRun across function instances: one counter blob in Azurite, many budgets on it. */
class BlobDeleteBudgetIT {
    static final String RUN = "20240101T000000Z-b0d6";
    static final String COUNTER = RunDocuments.deletesPath(RUN);
    BlobContainerClient container;

    @BeforeEach
    void container() {
        container = Azurite.get().newContainer("budget");
        container.create();
    }

    String counter() {
        return container.getBlobClient(COUNTER).downloadContent().toString().trim();
    }

    /**
     * The same container through a client that lets another instance write the counter just before
     * our write.
     */
    BlobContainerClient withInterloper(String writesFirst) {
        AtomicBoolean done = new AtomicBoolean();
        HttpPipelineSyncPolicy interloper =
                new HttpPipelineSyncPolicy() {
                    @Override
                    protected void beforeSendingRequest(HttpPipelineCallContext context) {
                        boolean counterWrite =
                                context.getHttpRequest().getHttpMethod() == HttpMethod.PUT
                                        && URLDecoder.decode(
                                                        context.getHttpRequest().getUrl().getPath(),
                                                        StandardCharsets.UTF_8)
                                                .endsWith(COUNTER);
                        if (counterWrite && done.compareAndSet(false, true)) {
                            container
                                    .getBlobClient(COUNTER)
                                    .upload(BinaryData.fromString(writesFirst), true);
                        }
                    }
                };
        return Azurite.get()
                .blobServiceClientBuilder()
                .addPolicy(interloper)
                .buildClient()
                .getBlobContainerClient(container.getBlobContainerName());
    }

    @Test
    void concurrentInstancesOnOneCounterNeverExceedTheCap() throws Exception {
        int instances = 6;
        long max = 50;
        ExecutorService pool = Executors.newFixedThreadPool(instances);
        List<Future<Long>> granted = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            BlobDeleteBudget budget =
                    new BlobDeleteBudget(
                            Azurite.get()
                                    .blobServiceClientBuilder()
                                    .buildClient()
                                    .getBlobContainerClient(container.getBlobContainerName()),
                            COUNTER,
                            max);
            granted.add(
                    pool.submit(
                            () -> {
                                long n = 0;
                                while (budget.tryAcquire()) {
                                    n++;
                                }
                                return n;
                            }));
        }
        long total = 0;
        for (Future<Long> f : granted) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertEquals(max, total, "every unit granted once, none past the cap");
        assertEquals(Long.toString(max), counter());
    }

    @Test
    void anUpdateThatLosesTheRace412IsReadAgainAndRetried() {
        container.getBlobClient(COUNTER).upload(BinaryData.fromString("0"));
        BlobDeleteBudget budget = new BlobDeleteBudget(withInterloper("5"), COUNTER, 100);

        assertTrue(budget.tryAcquire());

        assertEquals("13", counter(), "reserved on top of the other instance's 5, not over it");
        assertEquals(1, budget.used());
    }

    @Test
    void aCreateThatLosesTheRace409IsReadAgainAndRetried() {
        BlobDeleteBudget budget = new BlobDeleteBudget(withInterloper("5"), COUNTER, 100);

        assertTrue(budget.tryAcquire());

        assertEquals("13", counter());
    }

    @Test
    void aCounterThatIsNotACountStopsDeletionAndSaysWhy() {
        container.getBlobClient(COUNTER).upload(BinaryData.fromString("twelve"));
        BlobDeleteBudget budget = new BlobDeleteBudget(container, COUNTER, 100);

        IllegalStateException e = assertThrows(IllegalStateException.class, budget::tryAcquire);

        assertTrue(
                e.getMessage().contains(COUNTER) && e.getMessage().contains("'twelve'"),
                e.getMessage());
        assertEquals("twelve", counter(), "left as it was");
    }

    @Test
    void aCounterThatCannotBeReadStopsDeletion() {
        BlobDeleteBudget budget =
                new BlobDeleteBudget(
                        Azurite.get()
                                .blobServiceClientBuilder()
                                .buildClient()
                                .getBlobContainerClient("budget-missing-container"),
                        COUNTER,
                        100);

        IllegalStateException e = assertThrows(IllegalStateException.class, budget::tryAcquire);

        assertTrue(e.getMessage().contains("could not be read"), e.getMessage());
    }
}
