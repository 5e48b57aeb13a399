package io.acrretention.infra;

import com.fasterxml.jackson.databind.JsonNode;
import io.acrretention.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Terraform configuration as parsed by HashiCorp's own HCL parser ({@code @cdktf/hcl2json}, run
 * with node): blocks and attributes as JSON, expressions left as {@code ${...}} strings, nothing
 * evaluated.
 */
final class TerraformConfig {
    private static final Pattern LOCAL_REF = Pattern.compile("local\\.([a-z_]+)\\.([a-z_]+)");

    /** One {@code resource} or {@code data} block. */
    record Block(String file, String type, String name, JsonNode body) {
        String where() {
            return type + "." + name + " in " + file;
        }

        JsonNode required(String attribute) {
            JsonNode value = body.get(attribute);
            if (value == null) {
                throw new AssertionError(where() + " has no attribute '" + attribute + "'");
            }
            return value;
        }

        String text(String attribute) {
            return required(attribute).asText();
        }

        /**
         * The first nested block of that name ({@code site_config { ... }} parses as a one-element
         * list).
         */
        JsonNode nested(String blockName) {
            JsonNode list = body.get(blockName);
            if (list == null || !list.isArray() || list.isEmpty()) {
                throw new AssertionError(where() + " has no block '" + blockName + "'");
            }
            return list.get(0);
        }
    }

    private final Map<String, JsonNode> files;

    private TerraformConfig(Map<String, JsonNode> files) {
        this.files = files;
    }

    /**
     * Parses every {@code .tf} file of the folder, and the extra files given (such as a tfvars
     * example).
     */
    static TerraformConfig parse(Path root, Path folder, Path... extra) {
        Path nodeModule = root.resolve("node_modules/@cdktf/hcl2json");
        if (!Files.isDirectory(nodeModule)) {
            throw new AssertionError(
                    "the Terraform checks parse HCL with "
                            + nodeModule
                            + ", which is missing: run npm ci in "
                            + root);
        }
        List<String> command =
                new ArrayList<>(
                        List.of(
                                "node",
                                root.resolve("src/test/resources/infra/hcl2json.js").toString()));
        try (Stream<Path> tf = Files.list(folder)) {
            tf.filter(p -> p.toString().endsWith(".tf"))
                    .sorted()
                    .forEach(p -> command.add(p.toString()));
        } catch (IOException e) {
            throw new AssertionError(
                    "listing the Terraform files in " + folder + " failed: " + e, e);
        }
        for (Path p : extra) {
            command.add(p.toString());
        }
        return new TerraformConfig(run(command));
    }

    private static Map<String, JsonNode> run(List<String> command) {
        try {
            Path out = Files.createTempFile("hcl2json", ".json");
            Path err = Files.createTempFile("hcl2json", ".err");
            try {
                Process process =
                        new ProcessBuilder(command)
                                .redirectOutput(out.toFile())
                                .redirectError(err.toFile())
                                .start();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(
                            "parsing the Terraform files with node did not finish within 60 s");
                }
                String stderr = Files.readString(err, StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new AssertionError(
                            "parsing the Terraform files with node failed (exit "
                                    + process.exitValue()
                                    + "): "
                                    + stderr.strip());
                }
                Map<String, JsonNode> files = new LinkedHashMap<>();
                Json.MAPPER
                        .readTree(out.toFile())
                        .fields()
                        .forEachRemaining(e -> files.put(e.getKey(), e.getValue()));
                return files;
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError(
                    "running node to parse the Terraform files failed (is node installed?): " + e,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while parsing the Terraform files", e);
        }
    }

    JsonNode file(String name) {
        JsonNode file = files.get(name);
        if (file == null) {
            throw new AssertionError("no parsed file " + name + " among " + files.keySet());
        }
        return file;
    }

    /** Every {@code resource} block of every .tf file. */
    List<Block> resources() {
        return blocks("resource");
    }

    List<Block> dataSources() {
        return blocks("data");
    }

    List<Block> resources(String type) {
        return resources().stream().filter(b -> b.type().equals(type)).toList();
    }

    Block resource(String type, String name) {
        return resources(type).stream()
                .filter(b -> b.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no resource " + type + "." + name));
    }

    private List<Block> blocks(String kind) {
        List<Block> out = new ArrayList<>();
        files.forEach(
                (file, json) -> {
                    JsonNode byType = json.get(kind);
                    if (byType == null) {
                        return;
                    }
                    byType.fields()
                            .forEachRemaining(
                                    type ->
                                            type.getValue()
                                                    .fields()
                                                    .forEachRemaining(
                                                            named -> {
                                                                for (JsonNode body :
                                                                        named.getValue()) {
                                                                    out.add(
                                                                            new Block(
                                                                                    file,
                                                                                    type.getKey(),
                                                                                    named.getKey(),
                                                                                    body));
                                                                }
                                                            }));
                });
        return out;
    }

    /** A {@code locals} value by name, from whichever file defines it. */
    JsonNode local(String name) {
        for (JsonNode json : files.values()) {
            for (JsonNode locals : iterable(json.get("locals"))) {
                if (locals.has(name)) {
                    return locals.get(name);
                }
            }
        }
        throw new AssertionError("no local '" + name + "' in any Terraform file");
    }

    /** A {@code variable} block by name. */
    JsonNode variable(String name) {
        for (JsonNode json : files.values()) {
            JsonNode variables = json.get("variable");
            if (variables != null && variables.has(name)) {
                return variables.get(name).get(0);
            }
        }
        throw new AssertionError("no variable '" + name + "' in any Terraform file");
    }

    Map<String, JsonNode> outputs() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        files.values()
                .forEach(
                        json -> {
                            JsonNode outputs = json.get("output");
                            if (outputs != null) {
                                outputs.fields()
                                        .forEachRemaining(
                                                e -> out.put(e.getKey(), e.getValue().get(0)));
                            }
                        });
        return out;
    }

    /**
     * Resolves the one {@code local.<map>.<key>} reference in an expression to its literal value;
     * fails when the expression holds none, several, or one that is not a literal.
     */
    String resolveLocalMapEntry(String expression, String where) {
        Matcher m = LOCAL_REF.matcher(expression);
        if (!m.find()) {
            throw new AssertionError(
                    where + ": expected a local.<map>.<key> reference in '" + expression + "'");
        }
        String map = m.group(1);
        String key = m.group(2);
        if (m.find()) {
            throw new AssertionError(
                    where + ": more than one local.<map>.<key> reference in '" + expression + "'");
        }
        JsonNode value = local(map).get(key);
        if (value == null || !value.isTextual() || value.asText().contains("${")) {
            throw new AssertionError(
                    where + ": local." + map + "." + key + " is not a literal string");
        }
        return value.asText();
    }

    private static Iterable<JsonNode> iterable(JsonNode node) {
        if (node == null) {
            return List.of();
        }
        Iterator<JsonNode> it = node.elements();
        return () -> it;
    }
}
