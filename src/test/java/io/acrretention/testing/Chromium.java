package io.acrretention.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's headless Chromium, run as a command: the page's DOM after its scripts ran, or a
 * screenshot. A missing browser fails the test instead of skipping it: CI installs it (.ci/run),
 * and a page test that quietly skips proves nothing. Every run gets a fresh profile and no network
 * beyond the file it opens.
 */
public final class Chromium {
    private static final List<String> CANDIDATES =
            List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");

    private final String binary;
    private final Path profiles;

    private Chromium(String binary, Path profiles) {
        this.binary = binary;
        this.profiles = profiles;
    }

    public static Chromium find(Path scratch) {
        for (String c : CANDIDATES) {
            if (Files.isExecutable(Path.of(c))) {
                return new Chromium(c, scratch);
            }
        }
        return fail(
                "Chromium is not installed (looked for "
                        + CANDIDATES
                        + "): apt-get install -y chromium");
    }

    /** The serialised DOM once the page has loaded and its scripts have run. */
    public String dumpDom(String url) throws IOException, InterruptedException {
        return new String(run(url, "--dump-dom"), StandardCharsets.UTF_8);
    }

    public void screenshot(String url, Path png, int width, int height)
            throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(
                url,
                "--screenshot=" + png.toAbsolutePath(),
                "--window-size=" + width + "," + height,
                "--hide-scrollbars");
    }

    private byte[] run(String url, String... action) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(profiles, "chromium-profile");
        List<String> command =
                new ArrayList<>(
                        List.of(
                                binary,
                                "--headless",
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync",
                                "--user-data-dir=" + profile));
        command.addAll(List.of(action));
        command.add(url);
        Path stderr = profile.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("Chromium did not finish within 60 s: " + command);
        }
        if (p.exitValue() != 0) {
            fail("Chromium exited " + p.exitValue() + ": " + Files.readString(stderr));
        }
        return out;
    }
}
