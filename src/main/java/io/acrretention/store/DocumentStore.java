package io.acrretention.store;

import java.util.List;
import java.util.Optional;

/**
 * JSON documents by path ({@code inventory/{runId}.json}, {@code reports/{runId}/...}): Blob
 * Storage in Azure, a local folder for the command line. Paths use {@code /} and never climb out
 * ({@code ..}).
 */
public interface DocumentStore {
    /** Writes the whole document, replacing any earlier one; a reader never sees half of it. */
    void put(String path, byte[] json);

    /**
     * Writes the document only if there is none at {@code path} yet, atomically: of two writers,
     * exactly one succeeds. False when a document was already there; it is left as it was.
     */
    boolean create(String path, byte[] json);

    Optional<byte[]> get(String path);

    /** Removes a document; true when it was there. */
    boolean delete(String path);

    /** Paths that start with {@code prefix}, sorted. */
    List<String> list(String prefix);

    /** Rejects paths that are empty, absolute, or climb out of the store. */
    static String checkPath(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            throw new IllegalArgumentException(
                    "document path '" + path + "' must be relative, with '/' separators");
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException(
                        "document path '" + path + "' has an empty, '.' or '..' part");
            }
        }
        return path;
    }
}
