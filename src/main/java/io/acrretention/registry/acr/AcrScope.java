package io.acrretention.registry.acr;

import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.util.AuthenticateChallenge;
import com.azure.core.util.CoreUtils;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an ACR access token must grant: a resource ({@code repository:app/api}, {@code
 * registry:catalog}) and the actions on it. ACR scopes an access token to resources and actions
 * (Docker's token scope grammar {@code type:name:action[,action...]}; Azure/acr {@code
 * docs/AAD-OAuth.md}: "{@code scope=repository:repo:pull,push}", and a scope "can be specified more
 * than once for multiple scope requests"). One token per repository with every action the run needs
 * there saves a token request per action.
 *
 * @param resource {@code type:name}, the name unencoded ({@code repository:library/hello-world})
 * @param actions e.g. {@code metadata_read}, {@code pull}, {@code delete}; sorted
 */
record AcrScope(String resource, Set<String> actions) {
    static final String CATALOG = "registry:catalog";

    AcrScope {
        actions = Set.copyOf(new TreeSet<>(actions));
    }

    /** The scope string of a token request: {@code repository:app/api:metadata_read,pull}. */
    String wire() {
        return resource + ":" + String.join(",", new TreeSet<>(actions));
    }

    AcrScope with(Collection<String> more) {
        Set<String> all = new TreeSet<>(actions);
        all.addAll(more);
        return new AcrScope(resource, all);
    }

    boolean covers(AcrScope needed) {
        return resource.equals(needed.resource) && actions.containsAll(needed.actions);
    }

    /**
     * The scope ACR demands for a data-plane request (the operations table of its challenges:
     * metadata under {@code /acr/v1} needs {@code metadata_read}/{@code metadata_write}/{@code
     * delete}, content under {@code /v2} needs {@code pull}/{@code push}/{@code delete}); null for
     * a request we cannot place, which then goes without a token and is answered by its challenge.
     */
    static AcrScope of(HttpRequest request) {
        // java.net.URL keeps the path as sent: %2F stays encoded.
        String path = request.getUrl().getPath();
        HttpMethod method = request.getHttpMethod();
        boolean reads = method == HttpMethod.GET || method == HttpMethod.HEAD;
        if (path.equals("/acr/v1/_catalog") || path.equals("/v2/_catalog")) {
            return new AcrScope(CATALOG, Set.of("*"));
        }
        if (path.startsWith("/acr/v1/")) {
            String rest = path.substring("/acr/v1/".length());
            int marker = firstOf(rest, "/_tags", "/_manifests");
            String name = decode(marker < 0 ? rest : rest.substring(0, marker));
            String action =
                    reads
                            ? "metadata_read"
                            : method == HttpMethod.PATCH
                                    ? "metadata_write"
                                    : method == HttpMethod.DELETE ? "delete" : null;
            return repository(name, action);
        }
        if (path.startsWith("/v2/")) {
            String rest = path.substring("/v2/".length());
            int marker = lastOf(rest, "/manifests/", "/blobs/", "/tags/", "/referrers/");
            if (marker < 0) {
                return null;
            }
            String action =
                    reads
                            ? "pull"
                            : method == HttpMethod.DELETE
                                    ? "delete"
                                    : method == HttpMethod.PUT
                                                    || method == HttpMethod.POST
                                                    || method == HttpMethod.PATCH
                                            ? "push"
                                            : null;
            AcrScope scope = repository(decode(rest.substring(0, marker)), action);
            // A push is challenged as pull,push: the registry reads what it links.
            return scope != null && action.equals("push") ? scope.with(Set.of("pull")) : scope;
        }
        return null;
    }

    /**
     * The scope a 401's {@code WWW-Authenticate: Bearer realm=..,service=..,scope=..} demands, and
     * the service it names; null when it is no Bearer challenge with a scope.
     */
    static Challenge challenge(String header) {
        if (header == null) {
            return null;
        }
        for (AuthenticateChallenge c : CoreUtils.parseAuthenticateHeader(header)) {
            if (!"Bearer".equalsIgnoreCase(c.getScheme())) {
                continue;
            }
            String scope = c.getParameters().get("scope");
            String service = c.getParameters().get("service");
            // Several scopes are separated by spaces; a request needs one resource.
            String first = scope == null ? "" : scope.trim().split(" ")[0];
            int lastColon = first.lastIndexOf(':');
            if (lastColon <= 0 || service == null) {
                return null;
            }
            return new Challenge(
                    new AcrScope(
                            first.substring(0, lastColon),
                            Set.of(first.substring(lastColon + 1).split(","))),
                    service);
        }
        return null;
    }

    record Challenge(AcrScope scope, String service) {}

    private static AcrScope repository(String name, String action) {
        return action == null || name.isEmpty()
                ? null
                : new AcrScope("repository:" + name, Set.of(action));
    }

    private static int firstOf(String s, String... markers) {
        int best = -1;
        for (String m : markers) {
            int at = s.indexOf(m);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    private static int lastOf(String s, String... markers) {
        int best = -1;
        for (String m : markers) {
            best = Math.max(best, s.lastIndexOf(m));
        }
        return best;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
