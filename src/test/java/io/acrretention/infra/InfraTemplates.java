package io.acrretention.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Where the templates are, read once per test class. */
final class InfraTemplates {
    final Path root;
    final Path bicep;
    final Path terraform;
    final BicepFile main;
    final List<BicepFile> bicepFiles;
    final TerraformConfig tf;

    InfraTemplates() {
        root = Path.of("").toAbsolutePath();
        bicep = root.resolve("infra/bicep");
        terraform = root.resolve("infra/terraform");
        if (!Files.isDirectory(bicep) || !Files.isDirectory(terraform)) {
            throw new AssertionError(
                    "run the infra checks from the repository root: no infra/ in " + root);
        }
        main = BicepFile.read(bicep.resolve("main.bicep"));
        bicepFiles = new ArrayList<>(List.of(main));
        main.modules().values().stream()
                .distinct()
                .forEach(m -> bicepFiles.add(BicepFile.read(bicep.resolve(m))));
        tf = TerraformConfig.parse(root, terraform, terraform.resolve("terraform.tfvars.example"));
    }

    BicepFile bicepFile(String name) {
        return bicepFiles.stream()
                .filter(f -> f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("main.bicep does not use a module " + name));
    }

    /** Every file under infra/, as text. */
    List<Path> allFiles() {
        try (Stream<Path> files = Files.walk(root.resolve("infra"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError("listing infra/ failed: " + e, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("reading " + file + " failed: " + e, e);
        }
    }
}
