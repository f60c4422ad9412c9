package io.claudesignal.sessions.tck;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/**
 * Hands a kit the {@link SessionsTck} it is nested in: JUnit creates the enclosing instance first and
 * runs its {@code @BeforeEach} (which opens the store) before the kit's, so the kit finds the store
 * open. This keeps each kit in its own file and its {@code @Nested} declaration one line long.
 */
final class EnclosingTck implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SessionsTck.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRequiredTestInstances().findInstance(SessionsTck.class)
                .orElseThrow(() -> new ParameterResolutionException(context.getRequiredTestClass().getName()
                        + " is a kit: run it as a @Nested class of a SessionsTck subclass"));
    }
}
