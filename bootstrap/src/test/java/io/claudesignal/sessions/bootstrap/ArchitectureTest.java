package io.claudesignal.sessions.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward: adapters and bootstrap know the application, the application knows the
 * domain, the domain knows only the JDK. Bootstrap's test classpath holds every module, so the rules
 * see all of them.
 */
class ArchitectureTest {

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
    void everyModuleIsSeen() {
        for (String pkg : new String[] {"domain", "application", "adapters.inmemory", "adapters.jdbc", "adapters.sqlite",
                "adapters.postgres",
                "bootstrap"}) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(ROOT + "." + pkg)))
                    .as("classes of " + pkg + " are imported").isTrue();
        }
    }

    @Test
    void theDomainDependsOnTheJdkOnly() {
        classes().that().resideInAPackage(ROOT + ".domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(ROOT + ".domain..", "java..")
                .check(classes);
    }

    @Test
    void theApplicationKnowsNoFrameworkNoDatabaseAndNoAdapter() {
        noClasses().that().resideInAPackage(ROOT + ".application..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "com.google.inject..", "jakarta.inject..", "javax.inject..",
                        "org.jooq..", "java.sql..", "javax.sql..", "org.flywaydb..", "org.sqlite..", "org.postgresql..",
                        "com.zaxxer.hikari..",
                        "picocli..", ROOT + ".adapters..", ROOT + ".bootstrap..")
                .check(classes);
    }

    @Test
    void theApplicationUsesOnlyTheDomainJacksonAndTheJdk() {
        classes().that().resideInAPackage(ROOT + ".application..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(
                        ROOT + ".domain..", ROOT + ".application..", "com.fasterxml.jackson..", "java..")
                .check(classes);
    }

    @Test
    void adaptersDoNotKnowEachOtherNorTheBootstrap() {
        // The shared SQL core is the one exception, for the SQL adapters only (next rule).
        slices().matching(ROOT + ".adapters.(*)..").should().notDependOnEachOther()
                .ignoreDependency(JavaClass.Predicates.resideInAnyPackage(ROOT + ".adapters.sqlite..",
                        ROOT + ".adapters.postgres.."), JavaClass.Predicates.resideInAPackage(ROOT + ".adapters.jdbc.."))
                .check(classes);
        noClasses().that().resideInAPackage(ROOT + ".adapters..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".bootstrap..", "com.google.inject..", "picocli..")
                .check(classes);
    }

    @Test
    void onlyTheSqlAdaptersUseTheSharedSqlCore() {
        noClasses().that().resideOutsideOfPackages(ROOT + ".adapters.jdbc..", ROOT + ".adapters.sqlite..",
                        ROOT + ".adapters.postgres..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".adapters.jdbc..")
                .check(classes);
    }

    @Test
    void adaptersReachTheApplicationOnlyThroughItsPorts() {
        noClasses().that().resideInAPackage(ROOT + ".adapters..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".application.service..")
                .check(classes);
    }

    @Test
    void theDrivenPortsDoNotKnowTheDrivingOnes() {
        noClasses().that().resideInAPackage(ROOT + ".application.port.out..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".application.port.in..")
                .check(classes);
    }

    @Test
    void nothingInsideDependsOnTheBootstrap() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".bootstrap..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".bootstrap..")
                .check(classes);
    }
}
