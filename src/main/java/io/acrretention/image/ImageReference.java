package io.acrretention.image;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference as a pod spec or a container status {@code imageID} holds it, parsed by the
 * distribution reference grammar (github.com/distribution/reference) and normalised the way Docker
 * and containerd resolve it, so the same image seen twice compares equal.
 *
 * <p>{@link #toString()} is the inverse of {@link #parse} on normalised input.
 */
public final class ImageReference {
    public static final String DOCKER_HUB = "docker.io";

    // The grammar, piece by piece, as in distribution/reference/regexp.go.
    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|[-]+)";
    private static final String PATH_COMPONENT =
            ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String DOMAIN_COMPONENT =
            "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String IPV6 = "\\[(?:[a-fA-F0-9:]+)\\]";
    private static final String HOST =
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|" + IPV6 + ")";
    private static final String DOMAIN = HOST + "(?::[0-9]+)?";
    private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
    private static final Pattern PATH_PATTERN =
            Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG_PATTERN = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST_PATTERN =
            Pattern.compile(
                    "([A-Za-z][A-Za-z0-9]*(?:[+.\\-_][A-Za-z][A-Za-z0-9]*)*):([a-fA-F0-9]{32,})");
    private static final Pattern SHA256_HEX = Pattern.compile("[a-f0-9]{64}");
    // Only registered digest algorithms: "nginx:<32+ hex chars>" is a name with a tag, not an image
    // ID.
    private static final Pattern IMAGE_ID =
            Pattern.compile("(?:sha256|sha384|sha512):[a-fA-F0-9]{32,}");
    private static final int MAX_NAME_LENGTH = 255;

    private final String registry;
    private final String repository;
    private final String tag;
    private final String digest;

    private ImageReference(String registry, String repository, String tag, String digest) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    public static ImageReference of(String registry, String repository, String tag, String digest) {
        StringBuilder sb = new StringBuilder(registry).append('/').append(repository);
        if (tag != null) {
            sb.append(':').append(tag);
        }
        if (digest != null) {
            sb.append('@').append(digest);
        }
        return parse(sb.toString());
    }

    /** Parses, or throws {@link InvalidImageReferenceException} that says what is wrong. */
    public static ImageReference parse(String input) {
        String s = withoutRuntimePrefix(plainText(input));
        refuseWhatNamesNoRepository(input, s);
        int at = s.indexOf('@');
        String digest = at < 0 ? null : checkedDigest(input, s.substring(at + 1));
        String name = at < 0 ? s : s.substring(0, at);
        // A colon after the last slash starts the tag; one before it ends a registry host.
        int colon = name.lastIndexOf(':');
        boolean tagged = colon > name.lastIndexOf('/');
        String tag = tagged ? checkedTag(input, name.substring(colon + 1)) : null;
        return named(input, tagged ? name.substring(0, colon) : name, tag, digest);
    }

    /** The input without surrounding blanks, refused when it cannot be a reference at all. */
    private static String plainText(String input) {
        if (input == null) {
            throw new InvalidImageReferenceException(null, "no reference given");
        }
        String s = input.strip();
        if (s.isEmpty()) {
            throw new InvalidImageReferenceException(input, "empty reference");
        }
        // Template placeholders from deployment tools reach clusters when a release is
        // half-rendered.
        if (s.contains("#{") || s.contains("${") || s.contains("{{")) {
            throw new InvalidImageReferenceException(input, "unrendered template placeholder");
        }
        if (s.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidImageReferenceException(input, "contains whitespace");
        }
        return s;
    }

    /**
     * An imageID of the Docker runtime without its scheme: {@code docker-pullable://name@digest},
     * or {@code docker://sha256:<image id>}.
     */
    private static String withoutRuntimePrefix(String s) {
        for (String prefix : new String[] {"docker-pullable://", "docker://"}) {
            if (s.startsWith(prefix)) {
                return s.substring(prefix.length());
            }
        }
        return s;
    }

    private static void refuseWhatNamesNoRepository(String input, String s) {
        if (s.contains("://")) {
            throw new InvalidImageReferenceException(
                    input, "a URL scheme is not part of an image reference");
        }
        // A bare digest is an image (config) ID: it names no repository, so it cannot protect one.
        if (IMAGE_ID.matcher(s).matches() || SHA256_HEX.matcher(s).matches()) {
            throw new InvalidImageReferenceException(input, "an image ID names no repository");
        }
    }

    private static String checkedTag(String input, String tag) {
        if (!TAG_PATTERN.matcher(tag).matches()) {
            throw new InvalidImageReferenceException(
                    input,
                    "invalid tag '"
                            + tag
                            + "' (letters, digits, '_', '.', '-'; at most 128; not starting with '.' or '-')");
        }
        return tag;
    }

    /** The reference from its name (registry and path, without tag and digest). */
    private static ImageReference named(String input, String name, String tag, String digest) {
        if (name.isEmpty()) {
            throw new InvalidImageReferenceException(input, "no repository name");
        }
        int slash = name.indexOf('/');
        String first = slash < 0 ? name : name.substring(0, slash);
        boolean firstIsHost = slash >= 0 && looksLikeHost(first);
        String registry = firstIsHost ? registryName(input, first) : DOCKER_HUB;
        String path = firstIsHost ? name.substring(slash + 1) : name;
        // Official images live under library/ on Docker Hub: nginx is docker.io/library/nginx.
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        checkPath(input, registry, path);
        return new ImageReference(registry, path, tag, digest);
    }

    /**
     * The first component of a name is a registry host when it looks like one: it has a dot or a
     * port, is localhost, or has upper case (path components never do). Otherwise the name is on
     * Docker Hub.
     */
    private static boolean looksLikeHost(String first) {
        return first.contains(".")
                || first.contains(":")
                || first.equals("localhost")
                || !first.equals(first.toLowerCase(Locale.ROOT));
    }

    private static String registryName(String input, String host) {
        if (!DOMAIN_PATTERN.matcher(host).matches()) {
            throw new InvalidImageReferenceException(input, "invalid registry host '" + host + "'");
        }
        // One normal form for registry names: lower case, the default port :443 dropped.
        String registry = RegistryNames.normalize(host);
        // Docker Hub answers under several names; they are one registry.
        if (registry.equals("index.docker.io") || registry.equals("registry-1.docker.io")) {
            return DOCKER_HUB;
        }
        return registry;
    }

    private static void checkPath(String input, String registry, String path) {
        if (!PATH_PATTERN.matcher(path).matches()) {
            String why =
                    !path.equals(path.toLowerCase(Locale.ROOT))
                            ? "repository name must be lower case"
                            : "invalid repository name";
            throw new InvalidImageReferenceException(input, why + " '" + path + "'");
        }
        if (registry.length() + 1 + path.length() > MAX_NAME_LENGTH) {
            throw new InvalidImageReferenceException(
                    input, "name longer than " + MAX_NAME_LENGTH + " characters");
        }
    }

    /** The same image named through another registry host (already in normal form). */
    ImageReference withRegistry(String normalizedRegistry) {
        return parse(normalizedRegistry + "/" + toString().substring(registry.length() + 1));
    }

    /**
     * Parses without throwing: for callers that count bad references instead of failing on them.
     */
    public static Optional<ImageReference> tryParse(String input) {
        try {
            return Optional.of(parse(input));
        } catch (InvalidImageReferenceException e) {
            return Optional.empty();
        }
    }

    public static boolean isValid(String input) {
        return tryParse(input).isPresent();
    }

    /**
     * True for a repository name by the distribution grammar (lower-case path components joined by
     * {@code /}, at most 255 characters): no {@code ..}, no upper case, no control characters.
     */
    public static boolean isRepositoryName(String name) {
        return name != null && name.length() <= 255 && PATH_PATTERN.matcher(name).matches();
    }

    /**
     * True for a registry name by the distribution grammar: host (or [IPv6]) and an optional port.
     */
    public static boolean isRegistryName(String name) {
        return name != null && name.length() <= 255 && DOMAIN_PATTERN.matcher(name).matches();
    }

    /** True for a well-formed content digest such as {@code sha256:<64 hex>}. */
    public static boolean isDigest(String digest) {
        return digest != null && digestProblem(digest) == null;
    }

    private static String checkedDigest(String input, String digest) {
        String problem = digestProblem(digest);
        if (problem != null) {
            throw new InvalidImageReferenceException(input, problem);
        }
        return digest;
    }

    private static String digestProblem(String digest) {
        Matcher m = DIGEST_PATTERN.matcher(digest);
        if (!m.matches()) {
            return "invalid digest '"
                    + digest
                    + "' (expected algorithm:hex, e.g. sha256:<64 hex digits>)";
        }
        if (m.group(1).equals("sha256") && !SHA256_HEX.matcher(m.group(2)).matches()) {
            return "invalid digest '" + digest + "' (sha256 needs 64 lower-case hex digits)";
        }
        return null;
    }

    /**
     * Host and optional port in normal form (lower case, no {@code :443}): {@code
     * mactemp.azurecr.io}, {@code localhost:5000}.
     */
    public String registry() {
        return registry;
    }

    /** The path inside the registry: {@code app/api}, {@code library/nginx}. */
    public String repository() {
        return repository;
    }

    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    public Optional<String> digest() {
        return Optional.ofNullable(digest);
    }

    /** {@code registry/repository}, the key under which a registry's repository is known. */
    public String name() {
        return registry + "/" + repository;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name());
        if (tag != null) {
            sb.append(':').append(tag);
        }
        if (digest != null) {
            sb.append('@').append(digest);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageReference r
                && registry.equals(r.registry)
                && repository.equals(r.repository)
                && Objects.equals(tag, r.tag)
                && Objects.equals(digest, r.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, repository, tag, digest);
    }
}
