package io.acrretention.testing.k8s;

/**
 * A failure the emulator injects into one cluster's listing of one kind ({@code pods}, {@code
 * replicasets}, ...; null for every kind).
 *
 * @param times how many responses it spoils before the cluster behaves again (EXPIRED only)
 */
public record Fault(Type type, String kind, int times) {
    public enum Type {
        /** 401 with a Status body for every request, whatever the token. */
        UNAUTHORIZED,
        /** 403 Forbidden: the identity may not list the kind. */
        FORBIDDEN,
        /** 404 with a Status body: the API server does not serve this list. */
        NOT_FOUND,
        /** 500 with a Status body. */
        SERVER_ERROR,
        /** 410 Gone (reason Expired) for a request with a continue token, {@code times} times. */
        EXPIRED,
        /** The first page's JSON cut in half (the response itself ends cleanly). */
        TRUNCATED,
        /** A valid but 50 MB list. */
        HUGE_BODY,
        /** The first page hands out a continue token the server then rejects with 400. */
        BROKEN_CONTINUE,
        /** Every page hands back the continue token it was asked for: paging never ends. */
        REPEATED_CONTINUE
    }

    public static Fault of(Type type, String kind) {
        return new Fault(type, kind, Integer.MAX_VALUE);
    }

    public static Fault expired(String kind, int times) {
        return new Fault(Type.EXPIRED, kind, times);
    }

    boolean appliesTo(String k) {
        return kind == null || kind.equals(k);
    }
}
