package io.acrretention.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.acrretention.store.BlobDeleteBudget;
import io.acrretention.store.BlobDocumentStore;
import io.acrretention.store.LocalDocumentStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipeline reads top to bottom: the core (image references, what clusters use, the retention
 * rule) knows no adapter, the run sees the registry and cluster adapters only through their ports,
 * and no package reaches back to one that depends on it.
 */
class ArchitectureTest {
    private static final String[] CORE = {
        "io.acrretention.image..", "io.acrretention.usage..", "io.acrretention.retention.."
    };
    private static final String[] ADAPTERS = {
        "io.acrretention.config..",
        "io.acrretention.inventory..",
        "io.acrretention.registry.acr..",
        "io.acrretention.registry.loganalytics..",
        "io.acrretention.registry.snapshot..",
        "io.acrretention.store..",
        "io.acrretention.functions..",
        "io.acrretention.cli..",
        "io.acrretention.server..",
        "io.acrretention.report..",
        "io.acrretention.telemetry..",
        "io.acrretention.wiring..",
        "io.acrretention.run.."
    };

    /**
     * What only the composition root ({@code wiring}) constructs: the adapters that talk to ACR,
     * Log Analytics, clusters and storage, and the SDK clients and credentials under them.
     */
    private static final String[] ADAPTER_IMPLEMENTATIONS = {
        "io.acrretention.registry.acr..",
        "io.acrretention.registry.loganalytics..",
        "io.acrretention.registry.snapshot..",
        "io.acrretention.inventory.kubernetes..",
        "io.acrretention.inventory.endpoint..",
        "com.azure.storage..",
        "com.azure.identity.."
    };

    private static final DescribedPredicate<JavaClass> AN_ADAPTER_IMPLEMENTATION =
            resideInAnyPackage(ADAPTER_IMPLEMENTATIONS)
                    .or(
                            belongToAnyOf(
                                    BlobDocumentStore.class,
                                    LocalDocumentStore.class,
                                    BlobDeleteBudget.class));

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes =
                new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("io.acrretention");
    }

    @Test
    void theCoreDependsOnNoAdapter() {
        noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(ADAPTERS)
                .check(classes);
    }

    @Test
    void theCoreUsesNeitherTheAzureSdkNorTheFunctionsRuntime() {
        noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("com.azure..", "com.microsoft.azure..")
                .check(classes);
    }

    @Test
    void theRunSeesPortsAndNoRegistryOrClusterAdapter() {
        noClasses()
                .that()
                .resideInAPackage("io.acrretention.run..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.acrretention.registry.acr..",
                        "io.acrretention.registry.loganalytics..",
                        "io.acrretention.registry.snapshot..",
                        "io.acrretention.inventory.kubernetes..",
                        "io.acrretention.inventory.endpoint..",
                        "io.acrretention.inventory.http..",
                        "io.acrretention.wiring..",
                        "com.azure..",
                        "com.microsoft.azure..")
                .check(classes);
    }

    @Test
    void onlyTheCompositionRootBuildsAdapters() {
        // The adapters' own packages use their SDKs, and the store's adapters live beside its port.
        noClasses()
                .that()
                .resideOutsideOfPackages(
                        "io.acrretention.wiring..",
                        "io.acrretention.registry.acr..",
                        "io.acrretention.registry.loganalytics..",
                        "io.acrretention.registry.snapshot..",
                        "io.acrretention.inventory.kubernetes..",
                        "io.acrretention.inventory.endpoint..",
                        "io.acrretention.store..")
                .should()
                .dependOnClassesThat(AN_ADAPTER_IMPLEMENTATION)
                .check(classes);
    }

    @Test
    void theRunSeesNoStoreAdapter() {
        noClasses()
                .that()
                .resideInAPackage("io.acrretention.run..")
                .should()
                .dependOnClassesThat(AN_ADAPTER_IMPLEMENTATION)
                .check(classes);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        slices().matching("io.acrretention.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noTwoSubpackagesDependOnEachOther() {
        // inventory's cluster sources depend on inventory's ports; the ports must not build the
        // sources
        slices().matching("io.acrretention.(**)").should().beFreeOfCycles().check(classes);
    }
}
