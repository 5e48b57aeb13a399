package io.acrretention.registry.acr;

import com.azure.containers.containerregistry.ContainerRepository;
import com.azure.containers.containerregistry.RegistryArtifact;
import com.azure.containers.containerregistry.implementation.UtilsImpl;
import com.azure.containers.containerregistry.implementation.models.TagAttributesBase;
import com.azure.containers.containerregistry.models.ArtifactManifestPlatform;
import com.azure.containers.containerregistry.models.ArtifactManifestProperties;
import com.azure.containers.containerregistry.models.ArtifactTagProperties;
import com.azure.containers.containerregistry.models.ContainerRepositoryProperties;
import com.azure.core.credential.TokenCredential;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.json.Json;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Registry;
import io.acrretention.registry.RegistryException;
import io.acrretention.registry.RepositoryArtifacts;
import io.acrretention.registry.Tag;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@link Registry} port on Azure Container Registry, through {@code
 * azure-containers-containerregistry} 1.2.6 over the JDK HTTP client.
 *
 * <p>Requests per repository for {@link #artifacts}: one for the repository's properties (a
 * repository-level lock makes every manifest locked), the manifest pages, and the tag pages of the
 * whole repository ({@code GET /acr/v1/{name}/_tags}, every tag with its own times and locks). So 1
 * + ceil(M/100) + ceil(T/100) requests, not one tag listing per manifest (1 + M) as {@code
 * RegistryArtifact.listTagProperties} would need: for a registry with thousands of repositories and
 * a read quota of 1,000 to 10,000 per minute, that is the difference between minutes and hours. The
 * whole-repository tag listing is not public in 1.2.6, so it goes through the SDK's generated
 * {@code ContainerRegistriesImpl} on the same pipeline (see {@link AcrClients}).
 *
 * <p>Paging: repositories are listed with the asynchronous client, because the synchronous {@code
 * listRepositoryNames()} stops after the first page (it reads a body {@code link} that ACR never
 * sends; Azure/azure-sdk-for-java#39815). Manifests and tags follow the {@code Link} header.
 *
 * <p>What the listing does not say: 1.2.6's models drop the media type, so the manifest pages are
 * read raw ({@link ManifestListing}); ACR's listing may leave an index's {@code references} empty,
 * so every manifest that is not a single image by its media type (an index, a manifest list, none,
 * or one we do not know) is read by digest ({@code GET /v2/{name}/manifests/{digest}}) for its
 * children: 1 + ceil(M/100) + ceil(T/100) + I reads for I such manifests. A single image's OCI
 * {@code subject} is left unread ({@link Manifest#subjectUnread()}) until a plan would delete or
 * untag it ({@link #subjects}).
 *
 * <p>Throttling: every read goes through the read pipeline, which retries 429 and 5xx honouring
 * Retry-After; after the last attempt the failure is thrown, never read as an empty page or a
 * missing manifest.
 *
 * <p>Deletes: the SDK turns a 404 into success; {@link StatusRecorder} keeps the wire status so
 * {@link DeleteOutcome#ALREADY_GONE} is told apart without an extra request. Retries: see {@link
 * AcrClients}.
 */
public final class AcrRegistry implements Registry {
    private static final String MANIFEST_TYPES =
            String.join(
                    ", ",
                    "application/vnd.oci.image.manifest.v1+json",
                    "application/vnd.oci.image.index.v1+json",
                    "application/vnd.oci.artifact.manifest.v1+json",
                    "application/vnd.docker.distribution.manifest.v2+json",
                    "application/vnd.docker.distribution.manifest.list.v2+json");

    /**
     * Media types of single images, whose listing says enough for their children (none). Anything
     * else, an index, a manifest list, no media type or one we do not know, is read by digest.
     */
    private static final Set<String> IMAGE_TYPES =
            Set.of(
                    "application/vnd.oci.image.manifest.v1+json",
                    "application/vnd.docker.distribution.manifest.v2+json",
                    "application/vnd.oci.artifact.manifest.v1+json",
                    "application/vnd.docker.distribution.manifest.v1+json",
                    "application/vnd.docker.distribution.manifest.v1+prettyjws");

    private final String loginServer;
    private final AcrClients clients;

    private AcrRegistry(String loginServer, AcrClients clients) {
        this.loginServer = loginServer;
        this.clients = clients;
    }

    /**
     * @param endpoint where to call the registry, e.g. {@code https://mactemp.azurecr.io} or {@code
     *     https://127.0.0.1:8443}
     * @param loginServer the registry's identity (host[:port]); e.g. {@code mactemp.azurecr.io}
     *     even for an emulator
     * @param audience the Entra audience for the token exchange, or null for the SDK's default
     * @param requestTimeout bound on each HTTP call
     * @param httpClient null in production (JDK client, platform trust); a client trusting a test
     *     CA in tests
     */
    public static AcrRegistry create(
            URI endpoint,
            String loginServer,
            TokenCredential credential,
            String audience,
            Duration requestTimeout,
            HttpClient httpClient) {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(credential, "credential");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
            throw new IllegalArgumentException(
                    "registry endpoint must use https, not '" + endpoint + "'");
        }
        String base = endpoint.toString().replaceAll("/+$", "");
        String login =
                (loginServer == null ? endpoint.getAuthority() : loginServer)
                        .toLowerCase(Locale.ROOT);
        return new AcrRegistry(
                login, AcrClients.create(base, credential, audience, requestTimeout, httpClient));
    }

    /**
     * An HTTP client for {@link #create} that trusts what the given SSL context trusts (a test CA).
     */
    public static HttpClient httpClient(
            javax.net.ssl.SSLContext sslContext, Duration requestTimeout) {
        return AcrClients.httpClient(
                java.net.http.HttpClient.newBuilder().sslContext(sslContext), requestTimeout);
    }

    @Override
    public String loginServer() {
        return loginServer;
    }

    @Override
    public List<String> repositories() {
        return call(
                "list repositories",
                null,
                () -> {
                    List<String> names =
                            clients.readAsync.listRepositoryNames().collectList().block();
                    return names == null ? List.of() : List.copyOf(names);
                });
    }

    @Override
    public RepositoryArtifacts artifacts(String repository) {
        ContainerRepository repo = clients.read.getRepository(repository);
        ContainerRepositoryProperties props =
                call("read properties", repository, repo::getProperties);
        boolean repoDelete = !Boolean.FALSE.equals(props.isDeleteEnabled());
        boolean repoWrite = !Boolean.FALSE.equals(props.isWriteEnabled());
        List<ManifestListing.Listed> listed =
                call("list manifests", repository, () -> ManifestListing.list(clients, repository));
        Map<String, List<Tag>> tagsByDigest =
                call("list tags", repository, () -> allTags(repository));
        List<Manifest> manifests = new ArrayList<>(listed.size());
        for (ManifestListing.Listed l : listed) {
            Manifest m =
                    new Manifest(
                            l.digest(),
                            l.mediaType(),
                            l.sizeBytes(),
                            l.createdTime(),
                            l.lastUpdateTime(),
                            repoDelete && l.deleteEnabled(),
                            repoWrite && l.writeEnabled(),
                            tagsByDigest.getOrDefault(l.digest(), List.of()),
                            l.references(),
                            null,
                            true);
            boolean singleImage = l.mediaType() != null && IMAGE_TYPES.contains(l.mediaType());
            // Gone since the listing: left unread, so the planner keeps it rather than guess its
            // children.
            manifests.add(singleImage ? m : withContent(repository, m).orElse(m));
        }
        return new RepositoryArtifacts(loginServer, repository, manifests);
    }

    /**
     * Reads each manifest by digest for its {@code subject}. Only the candidates of a plan come
     * here (see {@code ListAndPlan}); a manifest that is gone by now has no key, a failed read
     * fails the repository.
     */
    @Override
    public Map<String, Optional<String>> subjects(String repository, Collection<String> digests) {
        Map<String, Optional<String>> out = new HashMap<>();
        for (String digest : digests) {
            Manifest unread =
                    new Manifest(
                            digest, null, 0, null, null, true, true, List.of(), List.of(), null,
                            true);
            withContent(repository, unread)
                    .ifPresent(m -> out.put(digest, Optional.ofNullable(m.subject())));
        }
        return out;
    }

    /**
     * The manifest with what only its content says: an index's children ({@code manifests[]}; ACR's
     * listing can leave {@code references} empty for a multi-arch index, and deleting the platform
     * images of an index in use breaks every pull of it), its media type, and its OCI {@code
     * subject} (a signature or SBOM of another manifest). Empty when the manifest no longer exists;
     * any other failure (429 and 5xx after the pipeline's retries) fails the listing, and so every
     * deletion in the repository, rather than reading as absent.
     */
    private Optional<Manifest> withContent(String repository, Manifest m) {
        BinaryData body;
        try {
            body = clients.readImpl.getManifest(repository, m.digest(), MANIFEST_TYPES);
        } catch (ResourceNotFoundException gone) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw AcrErrors.map("read manifest " + m.digest(), repository, loginServer, e);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(body.toBytes());
        } catch (java.io.IOException e) {
            throw new RegistryException(
                    RegistryException.Kind.OTHER,
                    200,
                    "read manifest "
                            + m.digest()
                            + " in "
                            + repository
                            + " on "
                            + loginServer
                            + " failed: not JSON: "
                            + e.getMessage(),
                    e);
        }
        Set<String> children = new LinkedHashSet<>(m.children());
        for (JsonNode child : json.path("manifests")) {
            String digest = child.path("digest").asText(null);
            if (digest == null) {
                throw new RegistryException(
                        RegistryException.Kind.OTHER,
                        200,
                        "read manifest "
                                + m.digest()
                                + " in "
                                + repository
                                + " on "
                                + loginServer
                                + " failed: an entry of manifests[] has no digest",
                        null);
            }
            children.add(digest);
        }
        String subject = json.path("subject").path("digest").asText(null);
        String mediaType = json.path("mediaType").asText(m.mediaType());
        return Optional.of(
                new Manifest(
                        m.digest(),
                        mediaType,
                        m.sizeBytes(),
                        m.createdTime(),
                        m.lastUpdateTime(),
                        m.deleteEnabled(),
                        m.writeEnabled(),
                        m.tags(),
                        List.copyOf(children),
                        subject,
                        false));
    }

    @Override
    public Optional<Manifest> refresh(String repository, String digest) {
        RegistryArtifact artifact = clients.write.getArtifact(repository, digest);
        ArtifactManifestProperties props;
        try {
            props = artifact.getManifestPropertiesWithResponse(Context.NONE).getValue();
        } catch (ResourceNotFoundException gone) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw AcrErrors.map("read manifest " + digest, repository, loginServer, e);
        }
        List<Tag> tags = List.of();
        if (props.getTags() != null && !props.getTags().isEmpty()) {
            tags =
                    call(
                            "list tags of " + digest,
                            repository,
                            () ->
                                    artifact.listTagProperties().stream()
                                            .map(AcrRegistry::tag)
                                            .toList());
        }
        return Optional.of(manifest(props, tags, true, true));
    }

    /**
     * {@code HEAD /v2/{name}/manifests/{reference}} on the listing pipeline (its token exchange and
     * retries): 200 is there, 404 is gone, anything else is an error, never an answer.
     */
    @Override
    public boolean exists(String repository, String reference) {

        HttpRequest head =
                new HttpRequest(
                                HttpMethod.HEAD,
                                clients.endpoint
                                        + "/v2/"
                                        + repository
                                        + "/manifests/"
                                        + URLEncoder.encode(reference, StandardCharsets.UTF_8)
                                                .replace("%3A", ":"))
                        .setHeader(HttpHeaderName.ACCEPT, MANIFEST_TYPES);
        int status =
                call(
                        "check manifest " + reference,
                        repository,
                        () -> {
                            try (HttpResponse response =
                                    clients.readPipeline.sendSync(head, Context.NONE)) {
                                return response.getStatusCode();
                            }
                        });
        if (status == 200) {
            return true;
        }
        if (status == 404) {
            return false;
        }
        throw new RegistryException(
                AcrErrors.kindOf(status, null),
                status,
                "check manifest "
                        + reference
                        + " in "
                        + repository
                        + " on "
                        + loginServer
                        + " failed: "
                        + status,
                null);
    }

    @Override
    public DeleteOutcome deleteManifest(String repository, String digest) {
        Context ctx = StatusRecorder.context();
        call(
                "delete manifest " + digest,
                repository,
                () -> clients.write.getArtifact(repository, digest).deleteWithResponse(ctx));
        return StatusRecorder.status(ctx) == 404
                ? DeleteOutcome.ALREADY_GONE
                : DeleteOutcome.DELETED;
    }

    @Override
    public DeleteOutcome untag(String repository, String tag) {
        Context ctx = StatusRecorder.context();
        // The artifact is named by the tag, but deleteTag sends DELETE /acr/v1/{name}/_tags/{tag}
        // without
        // resolving it first.
        call(
                "untag " + tag,
                repository,
                () -> clients.write.getArtifact(repository, tag).deleteTagWithResponse(tag, ctx));
        return StatusRecorder.status(ctx) == 404
                ? DeleteOutcome.ALREADY_GONE
                : DeleteOutcome.DELETED;
    }

    /**
     * Restore by the raw calls, not {@code ContainerRegistryContentClient}: its {@code getManifest}
     * recomputes the digest and refuses manifests it cannot parse, while here the bytes only travel
     * back unchanged. The pushed digest (ACR's {@code Docker-Content-Digest}) must equal the one
     * asked for. Between the tag check and the push another push of that tag could slip in; the
     * registry API has no conditional push to close that window.
     */
    @Override
    public RestoreOutcome restoreTag(String repository, String digest, String tag) {

        Optional<String> current =
                absentOn404(
                        "read tag " + tag,
                        repository,
                        () ->
                                clients.write
                                        .getArtifact(repository, tag)
                                        .getTagProperties(tag)
                                        .getDigest());
        if (current.isPresent()) {
            return digest.equals(current.get())
                    ? RestoreOutcome.ALREADY_THERE
                    : RestoreOutcome.TAG_TAKEN;
        }
        Optional<com.azure.core.http.rest.Response<BinaryData>> found =
                absentOn404(
                        "read manifest " + digest,
                        repository,
                        () ->
                                clients.writeImpl.getManifestWithResponse(
                                        repository, digest, MANIFEST_TYPES, Context.NONE));
        if (found.isEmpty()) {
            return RestoreOutcome.MANIFEST_GONE;
        }
        com.azure.core.http.rest.Response<BinaryData> got = found.get();
        byte[] bytes = got.getValue().toBytes();
        String mediaType =
                mediaType(
                        got.getHeaders().getValue(com.azure.core.http.HttpHeaderName.CONTENT_TYPE),
                        bytes);
        String pushed =
                call(
                        "push tag " + tag + " for " + digest,
                        repository,
                        () ->
                                clients.writeImpl
                                        .createManifestWithResponse(
                                                repository,
                                                tag,
                                                BinaryData.fromBytes(bytes),
                                                bytes.length,
                                                mediaType,
                                                Context.NONE)
                                        .getDeserializedHeaders()
                                        .getDockerContentDigest());
        if (!digest.equals(pushed)) {
            throw new RegistryException(
                    RegistryException.Kind.OTHER,
                    201,
                    "push tag "
                            + tag
                            + " for "
                            + digest
                            + " in "
                            + repository
                            + " on "
                            + loginServer
                            + " failed: the registry stored it as "
                            + pushed,
                    null);
        }
        return RestoreOutcome.RESTORED;
    }

    /**
     * The manifest's media type: the answer's Content-Type, else the document's own {@code
     * mediaType}.
     */
    private static String mediaType(String contentType, byte[] body) {
        if (contentType != null
                && !contentType.isBlank()
                && !contentType.startsWith("application/json")) {
            return contentType.split(";")[0].trim();
        }
        try {
            String own = Json.MAPPER.readTree(body).path("mediaType").asText(null);
            return own != null ? own : "application/vnd.oci.image.manifest.v1+json";
        } catch (java.io.IOException e) {
            return "application/vnd.oci.image.manifest.v1+json";
        }
    }

    /** Every tag of the repository in one paged listing, following the {@code Link} header. */
    private Map<String, List<Tag>> allTags(String repository) {
        Map<String, List<Tag>> byDigest = new HashMap<>();
        PagedResponse<TagAttributesBase> page =
                UtilsImpl.getPagedResponseWithContinuationToken(
                        clients.readImpl.getTagsSinglePage(
                                repository, null, null, null, null, Context.NONE));
        while (true) {
            for (TagAttributesBase t : page.getValue()) {
                byDigest.computeIfAbsent(t.getDigest(), d -> new ArrayList<>())
                        .add(
                                new Tag(
                                        t.getName(),
                                        t.getDigest(),
                                        instant(t.getCreatedOn()),
                                        instant(t.getLastUpdatedOn()),
                                        !Boolean.FALSE.equals(t.isDeleteEnabled()),
                                        !Boolean.FALSE.equals(t.isWriteEnabled())));
            }
            String next = page.getContinuationToken();
            if (next == null || next.isEmpty()) {
                return byDigest;
            }
            page =
                    UtilsImpl.getPagedResponseWithContinuationToken(
                            clients.readImpl.getTagsNextSinglePage(next, Context.NONE));
        }
    }

    private static Manifest manifest(
            ArtifactManifestProperties m, List<Tag> tags, boolean repoDelete, boolean repoWrite) {
        List<String> children =
                m.getRelatedArtifacts() == null
                        ? List.of()
                        : m.getRelatedArtifacts().stream()
                                .map(ArtifactManifestPlatform::getDigest)
                                .filter(Objects::nonNull)
                                .toList();
        return new Manifest(
                m.getDigest(),
                null,
                m.getSizeInBytes() == null ? 0 : m.getSizeInBytes(),
                instant(m.getCreatedOn()),
                instant(m.getLastUpdatedOn()),
                repoDelete && !Boolean.FALSE.equals(m.isDeleteEnabled()),
                repoWrite && !Boolean.FALSE.equals(m.isWriteEnabled()),
                tags,
                children,
                null);
    }

    private static Tag tag(ArtifactTagProperties t) {
        return new Tag(
                t.getName(),
                t.getDigest(),
                instant(t.getCreatedOn()),
                instant(t.getLastUpdatedOn()),
                !Boolean.FALSE.equals(t.isDeleteEnabled()),
                !Boolean.FALSE.equals(t.isWriteEnabled()));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    private <T> Optional<T> absentOn404(String what, String repository, Supplier<T> op) {
        try {
            return Optional.of(call(what, repository, op));
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private <T> T call(String what, String repository, Supplier<T> op) {
        try {
            return op.get();
        } catch (RegistryException e) {
            throw e;
        } catch (RuntimeException e) {
            throw AcrErrors.map(what, repository, loginServer, e);
        }
    }
}
