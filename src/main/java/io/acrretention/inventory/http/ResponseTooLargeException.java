package io.acrretention.inventory.http;

import java.io.IOException;

/** A response body passed the configured size cap; reading stopped there. */
public final class ResponseTooLargeException extends IOException {
    public ResponseTooLargeException(String message) {
        super(message);
    }
}
