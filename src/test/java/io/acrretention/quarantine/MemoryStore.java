package io.acrretention.quarantine;

import io.acrretention.store.DocumentStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The document store port in memory, for properties that would otherwise write thousands of files.
 */
final class MemoryStore implements DocumentStore {
    private final ConcurrentSkipListMap<String, byte[]> docs = new ConcurrentSkipListMap<>();

    @Override
    public void put(String path, byte[] json) {
        docs.put(DocumentStore.checkPath(path), json.clone());
    }

    @Override
    public Optional<byte[]> get(String path) {
        return Optional.ofNullable(docs.get(DocumentStore.checkPath(path))).map(byte[]::clone);
    }

    @Override
    public boolean create(String path, byte[] json) {
        return docs.putIfAbsent(DocumentStore.checkPath(path), json.clone()) == null;
    }

    @Override
    public boolean delete(String path) {
        return docs.remove(DocumentStore.checkPath(path)) != null;
    }

    @Override
    public List<String> list(String prefix) {
        return docs.keySet().stream().filter(p -> p.startsWith(prefix)).toList();
    }
}
