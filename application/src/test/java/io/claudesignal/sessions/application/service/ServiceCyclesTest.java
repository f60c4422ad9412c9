package io.claudesignal.sessions.application.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * No class of the service package depends, through others of the package, on itself: the services of
 * a handle share a {@link HandleContext} instead of holding each other (issue 23 removed such a
 * back-reference). ArchUnit's slice rules see packages only, so the classes' graph is walked here;
 * a nested class counts as its top-level class, and the export format's line reader as the format.
 */
class ServiceCyclesTest {

    private static final String PACKAGE = ServiceCyclesTest.class.getPackageName();

    @Test
    void noServiceReachesItselfThroughTheOthers() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PACKAGE);
        Map<String, Set<String>> uses = new TreeMap<>();
        for (JavaClass c : classes) {
            if (!c.getPackageName().equals(PACKAGE)) {
                continue;
            }
            Set<String> targets = uses.computeIfAbsent(topLevel(c.getName()), k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass();
                if (target.getPackageName().equals(PACKAGE) && !topLevel(target.getName()).equals(topLevel(c.getName()))) {
                    targets.add(topLevel(target.getName()));
                }
            }
        }
        assertThat(uses).containsKeys(PACKAGE + ".SessionService", PACKAGE + ".TranscriptService");
        assertThat(cycles(uses)).isEmpty();
    }

    private static String topLevel(String name) {
        int nested = name.indexOf('$');
        String top = nested < 0 ? name : name.substring(0, nested);
        // One format's writer and its readers, split in files for length only: one node here.
        return top.equals(PACKAGE + ".ExportLineReader") || top.equals(PACKAGE + ".InFlightLines")
                ? PACKAGE + ".ExportFormat" : top;
    }

    /** Each class that reaches itself, with one path back to it. */
    private static List<String> cycles(Map<String, Set<String>> uses) {
        List<String> found = new ArrayList<>();
        for (String start : uses.keySet()) {
            Map<String, String> cameFrom = new HashMap<>();
            List<String> frontier = new ArrayList<>(List.of(start));
            Set<String> seen = new HashSet<>();
            while (!frontier.isEmpty()) {
                String at = frontier.remove(frontier.size() - 1);
                for (String next : uses.getOrDefault(at, Set.of())) {
                    if (next.equals(start)) {
                        StringBuilder path = new StringBuilder(simple(start));
                        for (String p = at; p != null; p = cameFrom.get(p)) {
                            path.insert(0, simple(p) + " -> ");
                        }
                        found.add(path.toString());
                        frontier.clear();
                        break;
                    }
                    if (seen.add(next)) {
                        cameFrom.put(next, at);
                        frontier.add(next);
                    }
                }
            }
        }
        return found;
    }

    private static String simple(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }
}
