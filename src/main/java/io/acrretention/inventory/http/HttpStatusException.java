package io.acrretention.inventory.http;

import java.io.IOException;

/**
 * The server answered with a status other than 200; {@code detail} is what its body said,
 * shortened.
 */
public final class HttpStatusException extends IOException {
    private final int status;

    public HttpStatusException(int status, String detail) {
        super(status + " " + reasonPhrase(status) + (detail.isEmpty() ? "" : ": " + detail));
        this.status = status;
    }

    public int status() {
        return status;
    }

    private static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 410 -> "Gone";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
