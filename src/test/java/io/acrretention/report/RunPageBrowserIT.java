package io.acrretention.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.acrretention.cli.Main;
import io.acrretention.json.Json;
import io.acrretention.run.RunDocuments;
import io.acrretention.run.RunStatusReader;
import io.acrretention.store.LocalDocumentStore;
import io.acrretention.testing.Chromium;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run page in a real browser (headless Chromium): the demo run's page as the command line
 * writes it, with one tag name turned into markup, opened from a file as a user opens it offline.
 * The screenshot is kept in {@code target/run-page.png}.
 */
class RunPageBrowserIT {
    static final String EVIL = "<img src=x onerror=\"document.title='pwned'\">";

    @TempDir Path dir;
    Chromium chromium;
    String url;

    @BeforeEach
    void demoRunWithAHostileTag() throws Exception {
        chromium = Chromium.find(dir);
        Path out = dir.resolve("out");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertEquals(
                0,
                Main.run(
                        new String[] {"demo", "--out", out.toString()},
                        new PrintStream(sink),
                        new PrintStream(sink)),
                sink.toString());
        Path runDir;
        try (Stream<Path> runs = Files.list(out.resolve("reports"))) {
            runDir = runs.findFirst().orElseThrow();
        }
        // A tag is whatever the registry accepted: give one the shape of markup, then write the
        // page again.
        Path report = runDir.resolve("demo.azurecr.io/app/api.json");
        ObjectNode json = (ObjectNode) Json.MAPPER.readTree(report.toFile());
        ((ArrayNode) json.get("entries").get(0).get("tags")).add(EVIL);
        Files.write(report, Json.MAPPER.writeValueAsBytes(json));
        RunDocuments documents = new RunDocuments(new LocalDocumentStore(out));
        String runId = runDir.getFileName().toString();
        new RunPages(documents, new RunStatusReader(documents), Clock.systemUTC())
                .write(runId)
                .orElseThrow();
        url = runDir.resolve("index.html").toUri().toString();
    }

    private static boolean rowHidden(String dom, String repository) {
        Matcher m =
                Pattern.compile(
                                "<tr data-details=\"[^\"]*\" data-search=\"demo\\.azurecr\\.io/"
                                        + Pattern.quote(repository)
                                        + " [^\"]*\"( hidden=\"\")?>")
                        .matcher(dom);
        assertTrue(m.find(), "no row for " + repository);
        return m.group(1) != null;
    }

    @Test
    void theDemoRunRendersWithStatusModeClustersAndEveryRepository() throws Exception {
        String dom = chromium.dumpDom(url);

        assertTrue(dom.contains("<span id=\"status\" class=\"badge done\">done</span>"), dom);
        assertTrue(dom.contains("<span id=\"mode\" class=\"badge\">dry-run</span>"));
        assertTrue(
                dom.contains("<td>prod</td>") && dom.contains("<td>staging</td>"), "both clusters");
        assertTrue(dom.contains("4 of 4 repositories shown"), "the script ran");
        assertTrue(dom.contains("up to "), "bytes are upper bounds");
    }

    @Test
    void aTagNameThatIsMarkupShowsAsTextAndRunsNothing() throws Exception {
        String dom = chromium.dumpDom(url);

        assertFalse(dom.contains("<img"), "no image element was made from the tag");
        assertTrue(
                dom.contains("&lt;img src=x onerror=\"document.title='pwned'\"&gt;"),
                "the tag is shown as text");
        assertTrue(dom.contains("<title>acr-retention run "), "the handler never ran");
        assertFalse(dom.contains("pwned</title>"));
    }

    @Test
    void theFilterHidesRepositoriesThatDoNotMatchByNameOrTag() throws Exception {
        String byName = chromium.dumpDom(url + "#filter=legacy");
        assertTrue(byName.contains("1 of 4 repositories shown"), byName);
        assertFalse(rowHidden(byName, "legacy/batch"));
        assertTrue(rowHidden(byName, "app/api"));
        assertTrue(rowHidden(byName, "tools/migrator"));

        String byTag = chromium.dumpDom(url + "#filter=onerror");
        assertFalse(rowHidden(byTag, "app/api"), "tags are searched too");
        assertTrue(rowHidden(byTag, "legacy/batch"));
    }

    @Test
    void sortingByDeletesPutsTheRepositoryWithMostDeletesFirst() throws Exception {
        String dom = chromium.dumpDom(url + "#sort=delete");
        int api = dom.indexOf("data-search=\"demo.azurecr.io/app/api ");
        int web = dom.indexOf("data-search=\"demo.azurecr.io/app/web ");
        int batch = dom.indexOf("data-search=\"demo.azurecr.io/legacy/batch ");
        assertTrue(
                api < batch && batch < web, "app/api (17) before legacy/batch before app/web (0)");
        assertTrue(dom.contains("aria-sort=\"descending\""));
    }

    @Test
    void aScreenshotIsKeptAsATestArtifact() throws Exception {
        Path png = Path.of("target", "run-page.png");
        Files.deleteIfExists(png);
        chromium.screenshot(url + "#filter=app/api", png, 1280, 1500);
        assertTrue(
                Files.size(png) > 20_000,
                "a page, not a blank image: " + Files.size(png) + " bytes");
    }
}
