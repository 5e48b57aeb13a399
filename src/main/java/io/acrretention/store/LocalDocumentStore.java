package io.acrretention.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Documents as files under one folder, for the command line. A write goes to a temporary file, then
 * moves.
 */
public final class LocalDocumentStore implements DocumentStore {
    private final Path root;

    public LocalDocumentStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String path, byte[] json) {
        Path file = resolve(path);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            try {
                Files.write(tmp, json);
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new StoreException("write " + file + " failed: " + e, e);
        }
    }

    /**
     * Written to a temporary file, then hard-linked to its name: the link fails if the name exists.
     */
    @Override
    public boolean create(String path, byte[] json) {
        Path file = resolve(path);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
            try {
                Files.write(tmp, json);
                Files.createLink(file, tmp);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new StoreException("create " + file + " failed: " + e, e);
        }
    }

    @Override
    public Optional<byte[]> get(String path) {
        Path file = resolve(path);
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("read " + file + " failed: " + e, e);
        }
    }

    @Override
    public boolean delete(String path) {
        Path file = resolve(path);
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new StoreException("delete " + file + " failed: " + e, e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(
                            f ->
                                    root.relativize(f)
                                            .toString()
                                            .replace(f.getFileSystem().getSeparator(), "/"))
                    .filter(
                            p ->
                                    p.startsWith(prefix)
                                            && !p.substring(p.lastIndexOf('/') + 1).startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new StoreException("list " + root + " failed: " + e, e);
        }
    }

    private Path resolve(String path) {
        return root.resolve(DocumentStore.checkPath(path));
    }
}
