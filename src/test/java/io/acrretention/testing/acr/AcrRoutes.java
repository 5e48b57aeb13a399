package io.acrretention.testing.acr;

import com.sun.net.httpserver.HttpExchange;
import io.acrretention.registry.Manifest;
import io.acrretention.registry.Tag;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** The ACR data-plane endpoints: which scope each needs, and the bodies ACR answers with. */
final class AcrRoutes {
    enum Kind {
        CATALOG,
        REPOSITORY,
        TAGS,
        TAG,
        MANIFESTS,
        MANIFEST,
        CONTENT,
        DELETE_TAG,
        DELETE_MANIFEST,
        PUT_MANIFEST
    }

    /**
     * @param name the repository, decoded (the SDK encodes {@code /} as {@code %2F}; ACR's Link
     *     headers do not)
     */
    record Route(Kind kind, String name, String reference, String scope, boolean write) {}

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS'Z'")
                    .withZone(ZoneOffset.UTC);

    private final AcrEmulator emulator;

    AcrRoutes(AcrEmulator emulator) {
        this.emulator = emulator;
    }

    Route route(String method, String rawPath) {
        if (rawPath.equals("/acr/v1/_catalog") && method.equals("GET")) {
            return new Route(Kind.CATALOG, null, null, "registry:catalog:*", false);
        }
        if (rawPath.startsWith("/v2/")
                && (method.equals("DELETE")
                        || method.equals("GET")
                        || method.equals("HEAD")
                        || method.equals("PUT"))) {
            int at = rawPath.lastIndexOf("/manifests/");
            if (at < 0) {
                return null;
            }
            String name = AcrEmulator.decode(rawPath.substring(4, at));
            String ref = AcrEmulator.decode(rawPath.substring(at + 11));
            if (method.equals("PUT")) {
                return new Route(
                        Kind.PUT_MANIFEST, name, ref, "repository:" + name + ":pull,push", true);
            }
            return !method.equals("DELETE")
                    ? new Route(Kind.CONTENT, name, ref, "repository:" + name + ":pull", false)
                    : new Route(
                            Kind.DELETE_MANIFEST,
                            name,
                            ref,
                            "repository:" + name + ":delete",
                            true);
        }
        if (!rawPath.startsWith("/acr/v1/")) {
            return null;
        }
        String rest = rawPath.substring(8);
        for (String marker : List.of("/_tags", "/_manifests")) {
            int at = rest.indexOf(marker);
            if (at < 0) {
                continue;
            }
            String name = AcrEmulator.decode(rest.substring(0, at));
            String tail = rest.substring(at + marker.length());
            String ref = tail.isEmpty() ? null : AcrEmulator.decode(tail.substring(1));
            boolean tags = marker.equals("/_tags");
            if (method.equals("DELETE") && tags && ref != null) {
                return new Route(
                        Kind.DELETE_TAG, name, ref, "repository:" + name + ":delete", true);
            }
            if (!method.equals("GET")) {
                return null;
            }
            Kind kind =
                    tags
                            ? (ref == null ? Kind.TAGS : Kind.TAG)
                            : (ref == null ? Kind.MANIFESTS : Kind.MANIFEST);
            return new Route(kind, name, ref, "repository:" + name + ":metadata_read", false);
        }
        String name = AcrEmulator.decode(rest);
        return method.equals("GET")
                ? new Route(
                        Kind.REPOSITORY, name, null, "repository:" + name + ":metadata_read", false)
                : null;
    }

    void serve(HttpExchange ex, Route r, Map<String, String> q) throws IOException {
        EmulatorState state = emulator.state();
        RequestCounts counts = emulator.counts();
        int n = q.containsKey("n") ? Integer.parseInt(q.get("n")) : emulator.pageSize();
        String last = q.get("last") == null || q.get("last").isEmpty() ? null : q.get("last");
        if (r.kind() == Kind.CATALOG) {
            List<String> page = state.catalogPage(last, n);
            String link =
                    page.size() < n || state.catalogPage(page.get(page.size() - 1), 1).isEmpty()
                            ? null
                            : "/acr/v1/_catalog?last="
                                    + enc(page.get(page.size() - 1))
                                    + "&n="
                                    + n
                                    + "&orderby=";
            AcrEmulator.send(ex, 200, Map.of("repositories", page), link);
            return;
        }
        if (r.kind() == Kind.DELETE_MANIFEST) {
            counts.deleteRequests
                    .computeIfAbsent(r.reference(), d -> new AtomicLong())
                    .incrementAndGet();
            Integer failure = emulator.faults().deleteFailure(r.reference());
            int status = failure != null ? failure : state.deleteManifest(r.name(), r.reference());
            if (status == 202) {
                counts.manifestsDeleted.incrementAndGet();
            }
            deleteAnswer(ex, status, "MANIFEST_UNKNOWN", "manifest unknown");
            return;
        }
        if (r.kind() == Kind.DELETE_TAG) {
            int status = state.deleteTag(r.name(), r.reference());
            if (status == 202) {
                counts.tagsDeleted.incrementAndGet();
            }
            deleteAnswer(ex, status, "TAG_UNKNOWN", "the specified tag does not exist");
            return;
        }
        if (r.kind() == Kind.PUT_MANIFEST) {
            putManifest(ex, state, r);
            return;
        }
        synchronized (state) {
            EmulatorState.Repo repo = state.repo(r.name());
            if (repo == null) {
                AcrEmulator.send(
                        ex,
                        404,
                        Map.of(
                                "errors",
                                List.of(
                                        Map.of(
                                                "code",
                                                "NAME_UNKNOWN",
                                                "message",
                                                "repository name not known to registry",
                                                "detail",
                                                Map.of("name", r.name())))),
                        null);
                return;
            }
            switch (r.kind()) {
                case REPOSITORY -> AcrEmulator.send(ex, 200, repository(repo), null);
                case MANIFEST -> {
                    Manifest m = repo.manifests.get(r.reference());
                    if (m == null) {
                        AcrEmulator.send(
                                ex,
                                404,
                                AcrEmulator.error("MANIFEST_UNKNOWN", "manifest unknown"),
                                null);
                    } else {
                        AcrEmulator.send(
                                ex,
                                200,
                                wrap(
                                        repo,
                                        "manifest",
                                        manifest(repo, m, emulator.listsReferences())),
                                null);
                    }
                }
                case CONTENT -> {
                    counts.contentReads.incrementAndGet();
                    // A pull names a digest or a tag; HEAD answers the same, without the body.
                    Tag byTag = repo.tags.get(r.reference());
                    Manifest m = repo.manifests.get(byTag != null ? byTag.digest() : r.reference());
                    if (m == null) {
                        AcrEmulator.send(
                                ex,
                                404,
                                AcrEmulator.error("MANIFEST_UNKNOWN", "manifest unknown"),
                                null);
                    } else {
                        AcrEmulator.sendBytes(ex, 200, contentBytes(m), mediaTypeOf(m), m.digest());
                    }
                }
                case TAG -> {
                    Tag t = repo.tags.get(r.reference());
                    if (t == null) {
                        AcrEmulator.send(
                                ex,
                                404,
                                AcrEmulator.error(
                                        "TAG_UNKNOWN", "the specified tag does not exist"),
                                null);
                    } else {
                        AcrEmulator.send(ex, 200, wrap(repo, "tag", tag(t)), null);
                    }
                }
                case MANIFESTS -> {
                    List<Manifest> all =
                            ordered(
                                    repo.manifests.values().stream(),
                                    q.get("orderby"),
                                    Manifest::digest,
                                    Manifest::lastUpdateTime);
                    List<Manifest> page = page(all, last, n, Manifest::digest);
                    List<Object> items = new ArrayList<>();
                    page.forEach(m -> items.add(manifest(repo, m, emulator.listsReferences())));
                    AcrEmulator.send(
                            ex,
                            200,
                            wrap(repo, "manifests", items),
                            nextLink(repo, "_manifests", all, page, n, q, Manifest::digest));
                }
                case TAGS -> {
                    String digest = q.get("digest");
                    List<Tag> all =
                            ordered(
                                    repo.tags.values().stream()
                                            .filter(
                                                    t ->
                                                            digest == null
                                                                    || digest.isEmpty()
                                                                    || t.digest().equals(digest)),
                                    q.get("orderby"),
                                    Tag::name,
                                    Tag::lastUpdateTime);
                    List<Tag> page = page(all, last, n, Tag::name);
                    List<Object> items = new ArrayList<>();
                    page.forEach(t -> items.add(tag(t)));
                    AcrEmulator.send(
                            ex,
                            200,
                            wrap(repo, "tags", items),
                            nextLink(repo, "_tags", all, page, n, q, Tag::name));
                }
                default -> throw new IllegalStateException(r.kind().name());
            }
        }
    }

    /**
     * {@code PUT /v2/{name}/manifests/{tag}} as a registry stores it: the digest is the identity of
     * the bytes. Bytes equal to a stored manifest's content tag that manifest; any other bytes
     * become a new manifest with a new digest (a client that re-serialises a manifest gets a
     * different image, as on ACR). The Content-Type must be the manifest's media type; a
     * write-locked tag refuses the push.
     */
    private void putManifest(HttpExchange ex, EmulatorState state, Route r) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String digest;
        synchronized (state) {
            EmulatorState.Repo repo = state.repo(r.name());
            Manifest same =
                    repo == null
                            ? null
                            : repo.manifests.values().stream()
                                    .filter(m -> java.util.Arrays.equals(contentBytes(m), body))
                                    .findFirst()
                                    .orElse(null);
            if (same != null && !mediaTypeOf(same).equals(type)) {
                AcrEmulator.send(
                        ex,
                        400,
                        AcrEmulator.error(
                                "MANIFEST_INVALID",
                                "manifest invalid: media type "
                                        + type
                                        + " does not match the manifest's "
                                        + mediaTypeOf(same)),
                        null);
                return;
            }
            Tag old = repo == null ? null : repo.tags.get(r.reference());
            if (old != null && (repo.locked() || !old.writeEnabled())) {
                deleteAnswer(ex, 405, "", "");
                return;
            }
            digest = same != null ? same.digest() : sha256(body);
            if (same == null) {
                Instant now = Instant.now();
                state.put(
                        r.name(),
                        new Manifest(
                                digest,
                                type,
                                body.length,
                                now,
                                now,
                                true,
                                true,
                                List.of(),
                                List.of(),
                                null));
            }
            state.pushTag(r.name(), r.reference(), digest, Instant.now());
        }
        emulator.counts().tagsPushed.incrementAndGet();
        ex.getResponseHeaders().set("Docker-Content-Digest", digest);
        ex.getResponseHeaders().set("Location", "/v2/" + r.name() + "/manifests/" + digest);
        AcrEmulator.send(ex, 201, null, null);
    }

    private static String sha256(byte[] body) {
        try {
            return "sha256:"
                    + java.util.HexFormat.of()
                            .formatHex(
                                    java.security.MessageDigest.getInstance("SHA-256")
                                            .digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String mediaTypeOf(Manifest m) {
        return m.mediaType() != null ? m.mediaType() : "application/vnd.oci.image.manifest.v1+json";
    }

    /**
     * The stored bytes of a manifest: the same every time, so a push of what was read finds the
     * same manifest.
     */
    static byte[] contentBytes(Manifest m) {
        try {
            return io.acrretention.json.Json.MAPPER.writeValueAsBytes(content(m));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteAnswer(
            HttpExchange ex, int status, String goneCode, String goneMessage) throws IOException {
        if (status == 202) {
            AcrEmulator.send(ex, 202, null, null);
        } else if (status == 404) {
            AcrEmulator.send(ex, 404, AcrEmulator.error(goneCode, goneMessage), null);
        } else if (status == 405) {
            AcrEmulator.send(
                    ex,
                    405,
                    AcrEmulator.error(
                            "REGISTRY_DISALLOWED_OPERATION",
                            "The operation is disallowed on this registry, repository or image. View troubleshooting steps at"
                                    + " https://aka.ms/acr/faq/#why-does-my-pull-or-push-request-fail-with-disallowed-operation"),
                    null);
        } else {
            AcrEmulator.send(
                    ex,
                    status,
                    AcrEmulator.error("INTERNAL_ERROR", "injected failure " + status),
                    null);
        }
    }

    private static <T> List<T> ordered(
            Stream<T> items,
            String orderby,
            java.util.function.Function<T, String> key,
            java.util.function.Function<T, Instant> time) {
        Comparator<T> byKey = Comparator.comparing(key);
        if ("timedesc".equals(orderby)) {
            return items.sorted(Comparator.comparing(time).reversed().thenComparing(byKey))
                    .toList();
        }
        if ("timeasc".equals(orderby)) {
            return items.sorted(Comparator.comparing(time).thenComparing(byKey)).toList();
        }
        return items.sorted(byKey).toList();
    }

    /** The {@code n} items after {@code last} (exclusive) in the listing's order. */
    private static <T> List<T> page(
            List<T> all, String last, int n, java.util.function.Function<T, String> key) {
        int from = 0;
        if (last != null) {
            from = all.size();
            for (int i = 0; i < all.size(); i++) {
                if (key.apply(all.get(i)).equals(last)) {
                    from = i + 1;
                    break;
                }
            }
        }
        return all.subList(from, Math.min(all.size(), from + n));
    }

    /**
     * ACR writes the repository name unencoded in its Link paths; the values in the query are
     * encoded.
     */
    private static <T> String nextLink(
            EmulatorState.Repo repo,
            String listing,
            List<T> all,
            List<T> page,
            int n,
            Map<String, String> q,
            java.util.function.Function<T, String> key) {
        if (page.isEmpty() || all.indexOf(page.get(page.size() - 1)) == all.size() - 1) {
            return null;
        }
        String digest = q.get("digest");
        return "/acr/v1/"
                + repo.name
                + "/"
                + listing
                + "?last="
                + enc(key.apply(page.get(page.size() - 1)))
                + "&n="
                + n
                + "&orderby="
                + enc(q.getOrDefault("orderby", ""))
                + (digest == null || digest.isEmpty() ? "" : "&digest=" + enc(digest));
    }

    private Map<String, Object> wrap(EmulatorState.Repo repo, String field, Object value) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("registry", emulator.loginServer());
        out.put("imageName", repo.name);
        out.put(field, value);
        return out;
    }

    private Map<String, Object> repository(EmulatorState.Repo repo) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("registry", emulator.loginServer());
        out.put("imageName", repo.name);
        out.put("createdTime", TIME.format(repo.created));
        out.put("lastUpdateTime", TIME.format(repo.updated));
        out.put("manifestCount", repo.manifests.size());
        out.put("tagCount", repo.tags.size());
        out.put("changeableAttributes", attributes(repo.deleteEnabled, repo.writeEnabled));
        return out;
    }

    private static Map<String, Object> manifest(
            EmulatorState.Repo repo, Manifest m, boolean withReferences) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("digest", m.digest());
        out.put("imageSize", m.sizeBytes());
        out.put("createdTime", TIME.format(m.createdTime()));
        out.put("lastUpdateTime", TIME.format(m.lastUpdateTime()));
        if (m.mediaType() != null) {
            out.put("mediaType", m.mediaType());
        }
        List<String> tags = repo.tagNamesOf(m.digest());
        if (!tags.isEmpty()) {
            out.put("tags", tags);
        }
        if (withReferences && !m.children().isEmpty()) {
            out.put(
                    "references",
                    m.children().stream()
                            .map(c -> Map.of("digest", c, "architecture", "amd64", "os", "linux"))
                            .toList());
        }
        out.put("changeableAttributes", attributes(m.deleteEnabled(), m.writeEnabled()));
        return out;
    }

    private static Map<String, Object> tag(Tag t) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", t.name());
        out.put("digest", t.digest());
        out.put("createdTime", TIME.format(t.createdTime()));
        out.put("lastUpdateTime", TIME.format(t.lastUpdateTime()));
        out.put("signed", false);
        out.put("changeableAttributes", attributes(t.deleteEnabled(), t.writeEnabled()));
        return out;
    }

    private static Map<String, Object> attributes(boolean deleteEnabled, boolean writeEnabled) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deleteEnabled", deleteEnabled);
        out.put("writeEnabled", writeEnabled);
        out.put("readEnabled", true);
        out.put("listEnabled", true);
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The manifest document {@code GET /v2/{name}/manifests/{digest}} returns, with only the fields
     * the adapter reads: an index (OCI index unless the manifest says a Docker manifest list) with
     * its children in {@code manifests[]}, else an image manifest; a referrer carries its {@code
     * subject}.
     */
    private static Map<String, Object> content(Manifest m) {
        Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("schemaVersion", 2);
        if (!m.children().isEmpty()) {
            doc.put(
                    "mediaType",
                    m.mediaType() != null
                            ? m.mediaType()
                            : "application/vnd.oci.image.index.v1+json");
            doc.put(
                    "manifests",
                    m.children().stream()
                            .map(
                                    c ->
                                            Map.of(
                                                    "mediaType",
                                                    "application/vnd.oci.image.manifest.v1+json",
                                                    "digest",
                                                    c,
                                                    "size",
                                                    0,
                                                    "platform",
                                                    Map.of("architecture", "amd64", "os", "linux")))
                            .toList());
        } else {
            doc.put("mediaType", mediaTypeOf(m));
            doc.put(
                    "config",
                    Map.of(
                            "mediaType",
                            "application/vnd.oci.empty.v1+json",
                            "size",
                            2,
                            "digest",
                            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"));
            // One layer named after the manifest: two manifests never share their bytes, as in a
            // real registry.
            doc.put(
                    "layers",
                    List.of(
                            Map.of(
                                    "mediaType",
                                    "application/vnd.oci.image.layer.v1.tar+gzip",
                                    "size",
                                    m.sizeBytes(),
                                    "digest",
                                    "sha256:"
                                            + m.digest().substring(m.digest().indexOf(':') + 1))));
        }
        if (m.subject() != null) {
            doc.put(
                    "subject",
                    Map.of(
                            "mediaType",
                            "application/vnd.oci.image.manifest.v1+json",
                            "digest",
                            m.subject(),
                            "size",
                            0));
        }
        return doc;
    }
}
