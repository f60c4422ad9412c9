package io.claudesignal.sessions.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI is the outermost edge: it uses the library like any embedder, and nothing uses it. Only this
 * module's class path holds the CLI beside every other module, so the rules live here
 * (bootstrap's ArchitectureTest covers the rest).
 */
class CliArchitectureTest {

    private static final String ROOT = "io.claudesignal.sessions";
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages(ROOT);
    }

    @Test
    void nothingDependsOnTheCli() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".cli..")
                .check(classes);
    }

    @Test
    void onlyTheCliUsesPicocli() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(classes);
    }

    @Test
    void theCliNamesNoAdapter() {
        // It opens every store by location (SessionStore.open), so a new adapter needs no CLI change.
        noClasses().that().resideInAPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".adapters..")
                .check(classes);
    }

    @Test
    void theCliUsesNoContainer() {
        // Building an injector was a fifth of a short command's start-up (docs/performance.md).
        noClasses().that().resideInAPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "jakarta.inject..")
                .check(classes);
    }

    @Test
    void theCliTouchesNoDatabaseApi() {
        noClasses().that().resideInAPackage(ROOT + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage("org.jooq..", "java.sql..", "org.sqlite..",
                        "org.postgresql..", "com.zaxxer..")
                .check(classes);
    }
}
