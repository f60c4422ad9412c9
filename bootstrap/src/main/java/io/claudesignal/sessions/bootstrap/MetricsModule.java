package io.claudesignal.sessions.bootstrap;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import io.claudesignal.sessions.application.port.out.StoreMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Install beside {@link ApplicationModule} and an adapter module to have the store's meters in
 * {@code registry} (see docs/metrics.md). Needs {@code io.micrometer:micrometer-core}, which
 * {@code sessions-bootstrap} does not bring: without this module nothing of Micrometer is loaded.
 */
public final class MetricsModule extends AbstractModule {

    private final StoreMetrics metrics;

    public MetricsModule(MeterRegistry registry) {
        this.metrics = new MicrometerStoreMetrics(Objects.requireNonNull(registry, "registry"));
    }

    @Override
    protected void configure() {
        OptionalBinder.newOptionalBinder(binder(), StoreMetrics.class).setBinding().toInstance(metrics);
    }
}
