package io.acrretention.server;

/**
 * A bearer token that does not let its caller in; the message is the short reason the caller is
 * told.
 */
final class TokenRejectedException extends Exception {
    TokenRejectedException(String reason) {
        super(reason);
    }
}
