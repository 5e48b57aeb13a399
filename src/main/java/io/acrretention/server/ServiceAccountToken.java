package io.acrretention.server;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.function.LongSupplier;
import reactor.core.publisher.Mono;

/**
 * The pod's service account token, read from its file and read again once {@code refresh} has
 * passed: the kubelet rotates projected tokens in place. Handed out as already due, so the client
 * asks again for every request and this class alone decides when the file is read.
 */
public final class ServiceAccountToken implements TokenCredential {
    private final Path file;
    private final long refreshNanos;
    private final LongSupplier nanoTime;
    private String token;
    private long readAt;

    public ServiceAccountToken(Path file, Duration refresh, LongSupplier nanoTime) {
        this.file = file;
        this.refreshNanos = refresh.toNanos();
        this.nanoTime = nanoTime;
    }

    @Override
    public Mono<AccessToken> getToken(TokenRequestContext request) {
        return Mono.fromCallable(() -> new AccessToken(current(), OffsetDateTime.now()));
    }

    @Override
    public AccessToken getTokenSync(TokenRequestContext request) {
        return new AccessToken(current(), OffsetDateTime.now());
    }

    private synchronized String current() {
        long now = nanoTime.getAsLong();
        if (token == null || now - readAt >= refreshNanos) {
            String read;
            try {
                read = Files.readString(file, StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot read the service account token " + file + ": " + e, e);
            }
            if (read.isEmpty()) {
                throw new IllegalStateException("the service account token " + file + " is empty");
            }
            token = read;
            readAt = now;
        }
        return token;
    }
}
