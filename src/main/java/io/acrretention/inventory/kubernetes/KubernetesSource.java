package io.acrretention.inventory.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.acrretention.config.ExtraResource;
import io.acrretention.inventory.ImageSink;
import io.acrretention.inventory.ImageSource;
import io.acrretention.inventory.InventoryException;
import io.acrretention.inventory.http.HttpStatusException;
import io.acrretention.inventory.http.ResponseTooLargeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Lists every workload kind of one cluster through its Kubernetes API, page by page ({@code limit}
 * and {@code continue}), and reports the images of every pod spec. A list whose continue token
 * expired ({@code 410 Gone}) starts over, a bounded number of times; any other failure ends the
 * listing and names the cluster, the kind and the cause. Configured custom resources are listed
 * after the built-in kinds; one whose API is not installed (404 on its list) is reported {@code
 * not-installed} and skipped.
 */
public final class KubernetesSource implements ImageSource {
    public static final int DEFAULT_PAGE_SIZE = 500;
    static final int MAX_RESTARTS = 3;
    // Far beyond any real cluster (5 million objects of one kind at 500 a page): only a server that
    // keeps
    // handing out new continue tokens gets here.
    static final int MAX_PAGES = 10_000;

    private final String cluster;
    private final Supplier<ApiServer> apiServer;
    private final int pageSize;
    private final List<ListedResource> resources;

    /**
     * @param apiServer resolved once per collection (an AKS cluster's server and CA are read from
     *     ARM)
     */
    public KubernetesSource(String cluster, Supplier<ApiServer> apiServer, int pageSize) {
        this(cluster, apiServer, pageSize, List.of());
    }

    /**
     * @param extraResources custom resources that carry pod templates, listed after the built-in
     *     kinds
     */
    public KubernetesSource(
            String cluster,
            Supplier<ApiServer> apiServer,
            int pageSize,
            List<ExtraResource> extraResources) {
        this.cluster = cluster;
        this.apiServer = apiServer;
        this.pageSize = pageSize;
        this.resources = new ArrayList<>(List.of(WorkloadKind.values()));
        extraResources.forEach(r -> resources.add(new CustomResource(r)));
    }

    /**
     * Every {@code apiGroup/resource} the built-in listing needs {@code list} permission on (core
     * group empty): what a ClusterRole for the inventory must grant.
     */
    public static List<String> builtInResources() {
        return java.util.Arrays.stream(WorkloadKind.values())
                .map(
                        k ->
                                k.path().startsWith("/api/v1/")
                                        ? "/" + k.plural()
                                        : k.path().split("/")[2] + "/" + k.plural())
                .toList();
    }

    @Override
    public String cluster() {
        return cluster;
    }

    @Override
    public void collect(ImageSink sink) {
        sink.listing("find the API server");
        ApiServer api;
        try {
            api = apiServer.get();
        } catch (RuntimeException e) {
            throw new InventoryException(
                    "cluster '"
                            + cluster
                            + "': finding its API server and CA failed: "
                            + e.getMessage(),
                    e);
        }
        PodImages images = new PodImages(sink);
        for (ListedResource kind : resources) {
            listWithRestarts(api, kind, sink, images);
        }
    }

    private void listWithRestarts(
            ApiServer api, ListedResource kind, ImageSink sink, PodImages images) {
        for (int restarts = 0; ; restarts++) {
            try {
                list(api, kind, sink, images);
                return;
            } catch (NotInstalledException e) {
                sink.notInstalled(kind.plural());
                return;
            } catch (HttpStatusException e) {
                // Images read before the token expired are still in use; starting over only adds.
                if (e.status() != 410 || restarts == MAX_RESTARTS) {
                    throw failure(
                            api,
                            kind,
                            e.status() != 410
                                    ? e.getMessage()
                                    : "the continue token expired (410 Gone) "
                                            + (restarts + 1)
                                            + " times in a row: "
                                            + e.getMessage(),
                            e);
                }
            } catch (ListPage.MalformedListException e) {
                throw failure(api, kind, "malformed response: " + e.getMessage(), e);
            } catch (JsonProcessingException e) {
                throw failure(api, kind, "malformed response: " + e.getOriginalMessage(), e);
            } catch (IOException e) {
                throw failure(api, kind, describe(e), e);
            } catch (IllegalArgumentException e) {
                throw failure(api, kind, "malformed response: " + e.getMessage(), e);
            }
        }
    }

    private void list(ApiServer api, ListedResource kind, ImageSink sink, PodImages images)
            throws IOException {
        String continueToken = null;
        int page = 0;
        do {
            page++;
            if (page > MAX_PAGES) {
                throw new ListPage.MalformedListException(
                        "paging did not end after " + MAX_PAGES + " pages");
            }
            sink.listing("list " + kind.plural() + " (page " + page + ")");
            String next;
            try (InputStream body = get(api, kind, continueToken)) {
                next = ListPage.read(body, item -> kind.read(item, images));
            }
            if (next != null && next.equals(continueToken)) {
                throw new ListPage.MalformedListException(
                        "broken paging: page "
                                + page
                                + " returned the continue token it was asked for");
            }
            continueToken = next;
        } while (continueToken != null);
    }

    private InputStream get(ApiServer api, ListedResource kind, String continueToken)
            throws IOException {
        try {
            return api.http().get(uri(api.server(), kind, continueToken));
        } catch (HttpStatusException e) {
            // Only the first page can tell that an API is not there; a 404 mid-way is a broken
            // listing.
            if (e.status() == 404 && kind.optional() && continueToken == null) {
                throw new NotInstalledException();
            }
            throw e;
        }
    }

    private URI uri(URI server, ListedResource kind, String continueToken) {
        String base = server.toString().replaceAll("/+$", "");
        String query = "?limit=" + pageSize;
        if (continueToken != null) {
            query += "&continue=" + URLEncoder.encode(continueToken, StandardCharsets.UTF_8);
        }
        return URI.create(base + kind.path() + query);
    }

    static String describe(IOException e) {
        if (e instanceof ResponseTooLargeException || e instanceof HttpStatusException) {
            return e.getMessage();
        }
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }

    private InventoryException failure(
            ApiServer api, ListedResource kind, String why, Exception cause) {
        String base = api.server().toString().replaceAll("/+$", "");
        return new InventoryException(
                "cluster '"
                        + cluster
                        + "': list "
                        + kind.plural()
                        + " (GET "
                        + base
                        + kind.path()
                        + ") failed: "
                        + why,
                cause);
    }

    /**
     * The list of an optional resource answered 404 on its first page: its API is not installed.
     */
    private static final class NotInstalledException extends IOException {
        NotInstalledException() {
            super("not installed");
        }
    }

    /** A configured custom resource: optional, and its templates found wherever they sit. */
    private record CustomResource(ExtraResource resource) implements ListedResource {
        @Override
        public String plural() {
            return resource.toString();
        }

        @Override
        public String path() {
            return resource.path();
        }

        @Override
        public boolean optional() {
            return true;
        }

        @Override
        public void read(com.fasterxml.jackson.core.JsonParser p, PodImages images)
                throws IOException {
            ContainerLists.walk(p, images);
        }
    }
}
