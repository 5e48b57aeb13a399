package io.acrretention.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.config.Problems;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code issuers} array of the server's settings. Every entry must narrow who is let in: an
 * issuer alone admits far too many callers (any GitHub workflow in the world chooses its own {@code
 * aud}; any app of a tenant can ask Entra ID for a token to a known audience). So each entry names
 * claims, and for the two issuers this server is built for, at least a minimum set that names one
 * caller:
 *
 * <ul>
 *   <li>GitHub Actions: {@code repository_id} or {@code repository_owner_id} (names can be
 *       re-registered by someone else, ids cannot), plus {@code ref}, {@code environment} or {@code
 *       job_workflow_ref};
 *   <li>Entra ID: {@code tid}, plus an {@code oid}, {@code appid} or {@code azp} allow-list.
 * </ul>
 *
 * The provider is recognised from the issuer URL, or stated with {@code provider} for issuers at
 * other addresses (GitHub Enterprise Server, a test issuer).
 */
final class IssuerRules {
    static final String GITHUB = "github-actions";
    static final String ENTRA = "entra";
    static final String OTHER = "other";

    private static final Set<String> ENTRA_HOSTS =
            Set.of(
                    "login.microsoftonline.com",
                    "sts.windows.net",
                    "login.microsoftonline.us",
                    "login.chinacloudapi.cn",
                    "sts.chinacloudapi.cn",
                    "login.partner.microsoftonline.cn");
    private static final String GITHUB_HOST = "token.actions.githubusercontent.com";
    private static final Pattern GUID =
            Pattern.compile(
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private IssuerRules() {}

    static List<IssuerConfig> parse(JsonNode node, Problems p) {
        List<IssuerConfig> out = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            p.add(
                    "issuers",
                    "must be a non-empty array of {issuer, audiences, claims, provider?, caFile?}: without "
                            + "one no caller can be let in; got "
                            + Problems.describe(node));
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            String path = "issuers[" + i + "]";
            if (!p.isObject(node.get(i), path)) {
                continue;
            }
            ObjectNode o = (ObjectNode) node.get(i);
            p.rejectUnknownKeys(
                    o, path, Set.of("issuer", "audiences", "claims", "provider", "caFile"));
            URI issuer = issuer(p.string(o, "issuer", path, null), path + ".issuer", p);
            List<String> audiences = p.strings(o, "audiences", path, List.of());
            if (audiences.isEmpty() || audiences.stream().anyMatch(String::isBlank)) {
                p.add(path + ".audiences", "must list at least one non-empty audience");
            }
            Map<String, List<String>> claims = claims(o.get("claims"), path + ".claims", p);
            if (issuer == null) {
                continue;
            }
            String provider =
                    provider(issuer, p.string(o, "provider", path, null), path + ".provider", p);
            minimumClaims(issuer, provider, audiences, claims, path, p);
            out.add(
                    new IssuerConfig(
                            issuer,
                            audiences,
                            claims,
                            ServerConfig.path(p.string(o, "caFile", path, null))));
        }
        return out;
    }

    /**
     * The provider the URL shows, or the one stated; a statement that contradicts the URL is an
     * error.
     */
    static String provider(URI issuer, String stated, String path, Problems p) {
        String host = issuer.getHost().toLowerCase(Locale.ROOT);
        String known =
                host.equals(GITHUB_HOST) ? GITHUB : ENTRA_HOSTS.contains(host) ? ENTRA : null;
        if (stated != null && !Set.of(GITHUB, ENTRA, OTHER).contains(stated)) {
            p.add(
                    path,
                    "must be '"
                            + GITHUB
                            + "', '"
                            + ENTRA
                            + "' or '"
                            + OTHER
                            + "', got '"
                            + stated
                            + "'");
            return known != null ? known : OTHER;
        }
        if (known != null && stated != null && !known.equals(stated)) {
            p.add(path, "is '" + stated + "', but " + issuer + " belongs to " + known);
        }
        return known != null ? known : stated != null ? stated : OTHER;
    }

    private static void minimumClaims(
            URI issuer,
            String provider,
            List<String> audiences,
            Map<String, List<String>> claims,
            String path,
            Problems p) {
        String where = path + ".claims";
        if (claims.isEmpty()) {
            p.add(
                    where,
                    "is required for issuer "
                            + issuer
                            + ": without claims every token that issuer signs for "
                            + "the audience is let in"
                            + hint(provider));
            return;
        }
        switch (provider) {
            case GITHUB -> {
                if (!claims.containsKey("repository_id")
                        && !claims.containsKey("repository_owner_id")) {
                    p.add(
                            where,
                            "issuer "
                                    + issuer
                                    + " (GitHub Actions) needs repository_id or repository_owner_id: "
                                    + "repository and owner names can be registered again by someone else");
                }
                if (!claims.containsKey("ref")
                        && !claims.containsKey("environment")
                        && !claims.containsKey("job_workflow_ref")) {
                    p.add(
                            where,
                            "issuer "
                                    + issuer
                                    + " (GitHub Actions) needs ref, environment or job_workflow_ref: "
                                    + "otherwise every branch and pull request of the repository is let in");
                }
            }
            case ENTRA -> {
                if (!claims.containsKey("tid")) {
                    p.add(where, "issuer " + issuer + " (Entra ID) needs tid, the tenant id");
                } else {
                    tenantMatches(issuer, claims.get("tid"), where, p);
                }
                if (!claims.containsKey("oid")
                        && !claims.containsKey("appid")
                        && !claims.containsKey("azp")) {
                    p.add(
                            where,
                            "issuer "
                                    + issuer
                                    + " (Entra ID) needs an oid, appid or azp allow-list: otherwise "
                                    + "every identity of the tenant that can get a token for the audience is let in");
                }
                if (issuer.getPath().endsWith("/v2.0")) {
                    audiences.stream()
                            .filter(a -> !GUID.matcher(a).matches())
                            .forEach(
                                    a ->
                                            p.add(
                                                    path + ".audiences",
                                                    "issuer "
                                                            + issuer
                                                            + " issues v2.0 tokens, whose aud is the application (client) id "
                                                            + "GUID, never '"
                                                            + a
                                                            + "'"));
                }
            }
            default -> {
                // Another issuer: its claims are its own business, but there must be some (checked
                // above).
            }
        }
    }

    /**
     * An Entra issuer URL names its tenant: a tid allow-list for another tenant can never match.
     */
    private static void tenantMatches(URI issuer, List<String> tids, String where, Problems p) {
        String[] segments = issuer.getPath().split("/");
        if (segments.length > 1
                && GUID.matcher(segments[1]).matches()
                && tids.stream().anyMatch(t -> !t.equalsIgnoreCase(segments[1]))) {
            p.add(
                    where + ".tid",
                    "must be the issuer's own tenant " + segments[1] + ", got " + tids);
        }
    }

    private static String hint(String provider) {
        return switch (provider) {
            case GITHUB ->
                    " (for GitHub Actions: repository_id or repository_owner_id, plus ref, environment or "
                            + "job_workflow_ref)";
            case ENTRA -> " (for Entra ID: tid, plus oid, appid or azp)";
            default -> "";
        };
    }

    private static URI issuer(String text, String path, Problems p) {
        if (text == null) {
            p.add(path, "is required");
            return null;
        }
        try {
            URI uri = URI.create(text);
            // Keys fetched over plain HTTP could be swapped by anyone on the way.
            if (!"https".equals(uri.getScheme())
                    || uri.getHost() == null
                    || uri.getQuery() != null
                    || uri.getFragment() != null) {
                p.add(path, "must be an https URL without query or fragment, got '" + text + "'");
                return null;
            }
            return uri;
        } catch (IllegalArgumentException e) {
            p.add(path, "not a URL: '" + text + "'");
            return null;
        }
    }

    private static Map<String, List<String>> claims(JsonNode node, String path, Problems p) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node == null || node.isNull() || !p.isObject(node, path)) {
            return out;
        }
        node.fields()
                .forEachRemaining(
                        e -> {
                            String where = path + "." + e.getKey();
                            JsonNode v = e.getValue();
                            List<String> values = new ArrayList<>();
                            if (v.isTextual()) {
                                values.add(v.asText());
                            } else if (v.isArray()) {
                                v.forEach(
                                        x -> {
                                            if (x.isTextual()) {
                                                values.add(x.asText());
                                            }
                                        });
                                if (values.size() != v.size()) {
                                    p.add(
                                            where,
                                            "must hold only strings, got " + Problems.describe(v));
                                }
                            } else {
                                p.add(
                                        where,
                                        "must be a string or an array of strings, got "
                                                + Problems.describe(v));
                            }
                            if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
                                p.add(where, "must name at least one non-empty value");
                            }
                            out.put(e.getKey(), values);
                        });
        return out;
    }
}
