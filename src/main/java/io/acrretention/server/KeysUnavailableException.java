package io.acrretention.server;

/**
 * A trusted issuer's signing keys could not be fetched: no token of it can be checked now (503, not
 * 401).
 */
final class KeysUnavailableException extends RuntimeException {
    KeysUnavailableException(String message) {
        super(message);
    }
}
