package io.acrretention.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {
    private static final String D =
            "sha256:4b8d1f7e2f1c8f3c0f1e0e9c5b2a1d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c";

    /** Real pod spec images and imageID strings, with what they normalise to. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            textBlock =
                    """
            nginx                                              | docker.io            | library/nginx                 | -                      | -
            nginx:1.25                                         | docker.io            | library/nginx                 | 1.25                   | -
            library/nginx:1.25-alpine                          | docker.io            | library/nginx                 | 1.25-alpine            | -
            bitnami/redis:7.2.4-debian-12-r9                   | docker.io            | bitnami/redis                 | 7.2.4-debian-12-r9     | -
            docker.io/bitnami/redis:7.2                        | docker.io            | bitnami/redis                 | 7.2                    | -
            index.docker.io/library/busybox:1.36               | docker.io            | library/busybox               | 1.36                   | -
            registry-1.docker.io/library/alpine:3.19           | docker.io            | library/alpine                | 3.19                   | -
            docker.io/alpine                                   | docker.io            | library/alpine                | -                      | -
            mactemp.azurecr.io/app/api:2.1.24-3e158f8-main     | mactemp.azurecr.io   | app/api                       | 2.1.24-3e158f8-main    | -
            mactemp.azurecr.io/app/api:2.1.23-9c4b0a9-feature1 | mactemp.azurecr.io   | app/api                       | 2.1.23-9c4b0a9-feature1| -
            MacTemp.AzureCR.io/app/api:1.0.0                   | mactemp.azurecr.io   | app/api                       | 1.0.0                  | -
            mactemp.azurecr.io/team-a/svc/worker:latest        | mactemp.azurecr.io   | team-a/svc/worker             | latest                 | -
            mcr.microsoft.com/dotnet/aspnet:8.0                | mcr.microsoft.com    | dotnet/aspnet                 | 8.0                    | -
            mcr.microsoft.com/oss/kubernetes/pause:3.6         | mcr.microsoft.com    | oss/kubernetes/pause          | 3.6                    | -
            mcr.microsoft.com/aks/command/runtime:master.230118.1 | mcr.microsoft.com | aks/command/runtime           | master.230118.1        | -
            registry.k8s.io/kube-proxy:v1.29.2                 | registry.k8s.io      | kube-proxy                    | v1.29.2                | -
            registry.k8s.io/coredns/coredns:v1.11.1            | registry.k8s.io      | coredns/coredns               | v1.11.1                | -
            ghcr.io/fluxcd/source-controller:v1.2.4            | ghcr.io              | fluxcd/source-controller      | v1.2.4                 | -
            quay.io/prometheus/node-exporter:v1.7.0            | quay.io              | prometheus/node-exporter      | v1.7.0                 | -
            gcr.io/distroless/static-debian12:nonroot          | gcr.io               | distroless/static-debian12    | nonroot                | -
            localhost:5000/app:dev                             | localhost:5000       | app                           | dev                    | -
            localhost/app:dev                                  | localhost            | app                           | dev                    | -
            127.0.0.1:8443/app/api:1.0                         | 127.0.0.1:8443       | app/api                       | 1.0                    | -
            myregistry.local:5000/a/b/c:tag_1                  | myregistry.local:5000| a/b/c                         | tag_1                  | -
            my.registry:443/foo__bar/baz--qux:v1               | my.registry          | foo__bar/baz--qux             | v1                     | -
            MacTemp.azurecr.io:443/app/api:1.0                 | mactemp.azurecr.io   | app/api                       | 1.0                    | -
            docker.io:443/nginx:1.25                           | docker.io            | library/nginx                 | 1.25                   | -
            registry.example.com:4430/app:1                    | registry.example.com:4430 | app                      | 1                      | -
            app.io/x.y_z-w:1                                   | app.io               | x.y_z-w                       | 1                      | -
            [::1]:5000/app:1                                   | [::1]:5000           | app                           | 1                      | -
            """)
    void parsesAndNormalisesRealReferences(
            String input, String registry, String repository, String tag, String digest) {
        ImageReference ref = ImageReference.parse(input);
        assertEquals(registry, ref.registry());
        assertEquals(repository, ref.repository());
        assertEquals(tag, ref.tag().orElse(null));
        assertEquals(digest, ref.digest().orElse(null));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            nginx@DIGEST                                                | docker.io/library/nginx@DIGEST
            nginx:1.25@DIGEST                                           | docker.io/library/nginx:1.25@DIGEST
            mactemp.azurecr.io/app/api:2.1.24-3e158f8-main@DIGEST       | mactemp.azurecr.io/app/api:2.1.24-3e158f8-main@DIGEST
            docker-pullable://mactemp.azurecr.io/app/api@DIGEST         | mactemp.azurecr.io/app/api@DIGEST
            docker-pullable://nginx@DIGEST                              | docker.io/library/nginx@DIGEST
            docker://mactemp.azurecr.io/app/api@DIGEST                  | mactemp.azurecr.io/app/api@DIGEST
            docker.io/library/nginx@DIGEST                              | docker.io/library/nginx@DIGEST
            mcr.microsoft.com/oss/kubernetes/pause@DIGEST               | mcr.microsoft.com/oss/kubernetes/pause@DIGEST
            '  mactemp.azurecr.io/app/api:1.0  '                        | mactemp.azurecr.io/app/api:1.0
            """)
    void keepsDigestsAndStripsRuntimePrefixes(String input, String normalised) {
        ImageReference ref = ImageReference.parse(input.replace("DIGEST", D));
        assertEquals(normalised.replace("DIGEST", D), ref.toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "docker.io/library/nginx:1.25",
                "mactemp.azurecr.io/app/api:1.0.0@" + D,
                "localhost:5000/a/b@" + D,
                "docker.io/bitnami/redis"
            })
    void toStringIsTheInverseOfParseOnNormalisedInput(String normalised) {
        assertEquals(normalised, ImageReference.parse(normalised).toString());
        assertEquals(
                ImageReference.parse(normalised),
                ImageReference.parse(ImageReference.parse(normalised).toString()));
    }

    /** Bad input: each says what is wrong and quotes the input. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            textBlock =
                    """
            ''                                              | empty reference
            '   '                                           | empty reference
            #{Octopus.Action.Package[app].PackageVersion}   | unrendered template placeholder
            mactemp.azurecr.io/app:#{Octopus.Release.Number} | unrendered template placeholder
            ${IMAGE}                                        | unrendered template placeholder
            mactemp.azurecr.io/app:{{ .Values.tag }}        | unrendered template placeholder
            mactemp.azurecr.io/App/Api:1.0                  | repository name must be lower case
            Nginx                                           | repository name must be lower case
            nginx@sha256:abc                                | invalid digest
            nginx@sha256:4B8D1F7E2F1C8F3C0F1E0E9C5B2A1D3E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9C | sha256 needs 64 lower-case hex digits
            nginx@md5                                       | invalid digest
            nginx:-bad                                      | invalid tag
            nginx:.bad                                      | invalid tag
            nginx:                                          | invalid tag
            mactemp.azurecr.io/app//api:1                   | invalid repository name
            mactemp.azurecr.io/app/api/:1                   | invalid repository name
            mactemp.azurecr.io/-app:1                       | invalid repository name
            https://mactemp.azurecr.io/app:1                | URL scheme
            docker://sha256:4b8d1f7e2f1c8f3c0f1e0e9c5b2a1d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c | image ID names no repository
            sha256:4b8d1f7e2f1c8f3c0f1e0e9c5b2a1d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c | image ID names no repository
            4b8d1f7e2f1c8f3c0f1e0e9c5b2a1d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c | image ID names no repository
            my image:1                                      | whitespace
            bad_host.io:notaport/app:1                      | invalid registry host
            :1.0                                            | no repository name
            """)
    void rejectsBadInputWithAReasonThatNamesIt(String input, String reason) {
        InvalidImageReferenceException e =
                assertThrows(
                        InvalidImageReferenceException.class, () -> ImageReference.parse(input));
        assertTrue(e.getMessage().contains(reason), () -> e.getMessage() + " should say " + reason);
        assertEquals(input, e.input());
        assertFalse(ImageReference.isValid(input));
    }

    @Test
    void aTagLongerThan128CharactersIsRejected() {
        assertThrows(
                InvalidImageReferenceException.class,
                () -> ImageReference.parse("nginx:" + "a".repeat(129)));
        assertEquals(
                "a".repeat(128),
                ImageReference.parse("nginx:" + "a".repeat(128)).tag().orElseThrow());
    }

    @Test
    void aNullReferenceIsATypedErrorNotANullPointer() {
        assertThrows(InvalidImageReferenceException.class, () -> ImageReference.parse(null));
    }

    @Test
    void aNameLongerThan255CharactersIsRejected() {
        String longPath = ("abcdefghij/").repeat(25) + "x";
        InvalidImageReferenceException e =
                assertThrows(
                        InvalidImageReferenceException.class,
                        () -> ImageReference.parse("mactemp.azurecr.io/" + longPath));
        assertTrue(e.getMessage().contains("longer than 255"));
    }

    @Test
    void digestChecksAcceptOnlyWellFormedDigests() {
        assertTrue(ImageReference.isDigest(D));
        assertFalse(ImageReference.isDigest("sha256:123"));
        assertFalse(ImageReference.isDigest(null));
    }
}
