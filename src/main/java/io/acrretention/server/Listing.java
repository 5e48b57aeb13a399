package io.acrretention.server;

/**
 * The outcome of one listing of the cluster: the {@code {"images": [...]}} body to answer, or why
 * there is none. Never both: a listing that failed anywhere has no images at all.
 */
record Listing(byte[] body, int images, String failure) {
    static Listing ok(byte[] body, int images) {
        return new Listing(body, images, null);
    }

    static Listing failed(String why) {
        return new Listing(null, 0, why);
    }

    boolean isOk() {
        return failure == null;
    }
}
