package io.claudesignal.sessions.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.claudesignal.sessions.application.port.in.Leases;
import io.claudesignal.sessions.application.port.in.Maintenance;
import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.in.Transcripts;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.claudesignal.sessions.domain.ConflictException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every method of a measured port has its meter name, every meter name is a method's, every conflict has its type. */
class MeteredOperationTest {

    private static final List<Class<?>> PORTS = List.of(Sessions.class, Leases.class, Transcripts.class,
            Maintenance.class);

    @Test
    void everyPortMethodHasItsMeterName() {
        for (Class<?> port : PORTS) {
            for (Method method : port.getMethods()) {
                if (!Modifier.isStatic(method.getModifiers())) {
                    assertThat(MeteredOperation.of(method)).as(port.getSimpleName() + "." + method.getName())
                            .isPresent();
                }
            }
        }
    }

    @Test
    void everyOperationIsAMethodOfItsPort() {
        for (MeteredOperation op : MeteredOperation.values()) {
            assertThat(Arrays.stream(op.port().getMethods()).anyMatch(m -> MeteredOperation.of(m).equals(
                    java.util.Optional.of(op)))).as(op.name()).isTrue();
        }
    }

    @Test
    void meterNamesAreSnakeCaseAndUnique() {
        Set<String> names = Arrays.stream(MeteredOperation.values()).map(MeteredOperation::meterName)
                .collect(Collectors.toSet());
        assertThat(names).hasSize(MeteredOperation.values().length).allMatch(n -> n.matches("[a-z]+(_[a-z]+)*"));
    }

    @Test
    void everyConflictHasItsMeterType() {
        JavaClasses domain = new ClassFileImporter().importPackages(ConflictException.class.getPackageName());
        List<String> conflicts = domain.stream()
                .filter(c -> c.isAssignableTo(ConflictException.class) && !c.getModifiers().contains(JavaModifier.ABSTRACT))
                .map(JavaClass::getName).toList();
        assertThat(conflicts).isNotEmpty();
        assertThat(MeteredPorts.CONFLICT_TYPES.keySet().stream().map(Class::getName).toList())
                .containsExactlyInAnyOrderElementsOf(conflicts);
        assertThat(MeteredPorts.CONFLICT_TYPES.values()).doesNotHaveDuplicates()
                .allMatch(n -> n.matches("[a-z]+(_[a-z]+)*"));
    }

    interface Unmeasured {
        void somethingNew();
    }

    @Test
    void aPortWithAnUnnamedMethodIsRefusedWhenWrapped() {
        Unmeasured target = () -> { };
        assertThatThrownBy(() -> MeteredPorts.wrap(Unmeasured.class, target, new StoreMetrics() { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("somethingNew");
    }
}
