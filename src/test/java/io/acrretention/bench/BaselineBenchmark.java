package io.acrretention.bench;

import com.azure.containers.containerregistry.ContainerRegistryClient;
import com.azure.containers.containerregistry.ContainerRegistryClientBuilder;
import com.azure.containers.containerregistry.ContainerRepository;
import com.azure.containers.containerregistry.models.ArtifactManifestProperties;
import com.azure.containers.containerregistry.models.ArtifactTagProperties;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.acr.AcrRegistry;
import io.acrretention.testing.TestCertificates;
import io.acrretention.testing.acr.AcrEmulator;
import java.time.Duration;
import java.util.List;

/**
 * The baseline: the way the original script reads a registry, on the same emulator and registry as
 * {@link WholeRunBenchmark} (same generator and seed, 20 ms per request), through the same SDK: the
 * repositories, then per repository its manifests, then one request per tag for the tag's
 * properties, all one after the other on one client. It only reads (the script's decisions are not
 * the point); then it runs {@link WholeRunBenchmark}, our dry run of the same registry, and the two
 * wall times give the ratio.
 *
 * <p>Settings ({@code BENCH_JAVA_OPTS}): {@code -Drepositories=200 -Dtags=25 -Dlatency.ms=20}. Run:
 * {@code bench/run BaselineBenchmark}.
 */
public final class BaselineBenchmark {
    private BaselineBenchmark() {}

    public static void main(String[] args) throws Exception {
        int repositories = Integer.getInteger("repositories", 200);
        int latencyMs = Integer.getInteger("latency.ms", 20);
        int tagsPerRepository = Integer.getInteger("tags", 25);
        TestCertificates certs = TestCertificates.create("bench-ca");
        String aad = "bench-token";
        try (AcrEmulator acr = AcrEmulator.start(certs, PlannerBenchmark.REGISTRY, aad)) {
            for (RepositoryArtifacts r :
                    PlannerBenchmark.generate(repositories, tagsPerRepository, 11)) {
                for (Manifest m : r.manifests()) {
                    acr.state().put(r.repository(), m);
                }
            }
            acr.faults().latency(Duration.ofMillis(latencyMs));
            ContainerRegistryClient client =
                    new ContainerRegistryClientBuilder()
                            .endpoint(acr.endpoint().toString())
                            .credential(AcrEmulator.credential(aad))
                            .httpClient(
                                    AcrRegistry.httpClient(
                                            certs.clientContext(), Duration.ofSeconds(30)))
                            .buildClient();
            // The synchronous repository listing stops after one page (azure-sdk-for-java#39815);
            // the adapter's
            // listing is the one that pages, and it is a handful of requests either way.
            AcrRegistry catalog =
                    AcrRegistry.create(
                            acr.endpoint(),
                            PlannerBenchmark.REGISTRY,
                            AcrEmulator.credential(aad),
                            null,
                            Duration.ofSeconds(30),
                            AcrRegistry.httpClient(certs.clientContext(), Duration.ofSeconds(30)));
            long t0 = System.nanoTime();
            long before = acr.counts().reads();
            List<String> names = catalog.repositories();
            long manifests = 0;
            long tags = 0;
            for (String name : names) {
                ContainerRepository repository = client.getRepository(name);
                for (ArtifactManifestProperties m : repository.listManifestProperties()) {
                    manifests++;
                    for (String tag : m.getTags() == null ? List.<String>of() : m.getTags()) {
                        ArtifactTagProperties t =
                                repository.getArtifact(m.getDigest()).getTagProperties(tag);
                        tags += t.getName().equals(tag) ? 1 : 0;
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "baseline (sequential, one request per tag): %d repositories, %d manifests, %d tags, "
                            + "%d ms latency: %.1f s wall, %d registry requests (%.1f per repository), %d token "
                            + "requests%n",
                    names.size(),
                    manifests,
                    tags,
                    latencyMs,
                    seconds,
                    acr.counts().reads() - before,
                    (acr.counts().reads() - before) / (double) names.size(),
                    acr.counts().tokenRequests());
        }
        WholeRunBenchmark.main(args);
    }
}
