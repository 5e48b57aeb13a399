package io.acrretention.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The page's style and script, inlined so the page opens offline and from blob storage, and the
 * Content-Security-Policy that allows exactly them: with hashes instead of 'unsafe-inline', an
 * event handler that slipped into the markup (say from a tag name) would still not run.
 */
final class PageAssets {
    static final String CSS = resource("report/page.css");
    static final String JS = resource("report/page.js");
    static final String CSP =
            "default-src 'none'; style-src '"
                    + sha256(CSS)
                    + "'; script-src '"
                    + sha256(JS)
                    + "'; img-src data:; base-uri 'none'; form-action 'none'";

    private PageAssets() {}

    private static String resource(String name) {
        try (InputStream in = PageAssets.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the bundled " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            byte[] d =
                    MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
