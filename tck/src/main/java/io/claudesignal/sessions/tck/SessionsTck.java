package io.claudesignal.sessions.tck;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The rules every adapter of the persistence ports must keep, stated as tests through the
 * {@link Sessions} API the daemon uses. An adapter's test subclasses this, says how to open a fresh,
 * empty store, and must pass it unchanged:
 *
 * <pre>{@code
 * class InMemorySessionsTckTest extends SessionsTck {
 *     @Override
 *     protected Persistence openPersistence() {
 *         return Persistence.of(new InMemorySessionRepository());
 *     }
 * }
 * }</pre>
 *
 * A store that must be closed is handed to {@link #closeAfterwards}, and a second handle (a second
 * process's view of the same store) comes from {@link #openSecondHandle()}:
 *
 * <pre>{@code
 * protected Persistence openPersistence() {
 *     return closeAfterwards(SqliteStorage.open(dir.resolve("sessions.db"))).persistence();
 * }
 * }</pre>
 *
 * <p>The tests are grouped into kits by concern, one file each ({@link CreatingKit},
 * {@link TransitionsKit}, ...), and each kit runs here as a {@code @Nested} class. JUnit runs the
 * {@code @BeforeEach} of this class (which opens the store) before each test of a kit, and the
 * {@code @AfterEach} (which closes it) after; the kit builds its clock and its {@link Sessions} handle
 * on that store (see {@link Kit}). The race tests release all their threads through one barrier and
 * repeat several rounds; they fail if a store checks a status or version in one step and writes in
 * another.
 *
 * <p><b>Adding a kit</b> (as the transcript kits were added):
 * <ol>
 *   <li>write {@code public abstract class TranscriptKit extends Kit} in this package, with its
 *       {@code @Test} methods using the fixture of {@link Kit} ({@code sessions}, {@code clock},
 *       {@code persistence}, {@code newSession()}, {@code secondService()}, ...);</li>
 *   <li>add one line to this class: {@code @Nested class Transcript extends TranscriptKit {}}.</li>
 * </ol>
 * Every adapter runs the new kit from then on, with no change to its own test.
 *
 * <p>The model-based properties ({@link SessionsModelProperties}: random scripts compared with a
 * reference model) open a fresh store per script rather than per test, so they are not a kit here; an
 * adapter runs them with a second small class that opens its store the same way.
 */
public abstract class SessionsTck {

    /** The store of the current test, as {@link #openPersistence()} returned it. */
    protected Persistence persistence;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** A new, empty store: the ports of one adapter over it. Called before each test. */
    protected abstract Persistence openPersistence() throws Exception;

    /**
     * A second handle on the same store, as a second process would open it (a second connection pool
     * for a database). Race tests spread their threads over both. By default, the same handle.
     */
    protected Persistence openSecondHandle() throws Exception {
        return persistence;
    }

    /**
     * Releases what {@link #openPersistence()} and {@link #openSecondHandle()} opened and did not hand
     * to {@link #closeAfterwards}. Called after each test, before those resources are closed.
     */
    protected void closePersistence() throws Exception {
    }

    /**
     * Closes {@code resource} after the current test, after {@link #closePersistence()}, in the reverse
     * order of registration: a store registered after its schema is closed before the schema is dropped.
     * Register every second handle this way: one test may open several.
     *
     * @return {@code resource}
     */
    protected final <T extends AutoCloseable> T closeAfterwards(T resource) {
        opened.push(Objects.requireNonNull(resource, "resource"));
        return resource;
    }

    /**
     * The store operations (pin, purge, export and import) over the store {@link #openPersistence()}
     * opened for this test. Every adapter provides them; the {@link OperationsKit} fails until it does.
     */
    protected StoreOperations operations() {
        throw new UnsupportedOperationException(getClass().getName()
                + " must override SessionsTck.operations() with the store operations of its store");
    }

    /** The store operations of a second handle (as another process would open it). By default, the same. */
    protected StoreOperations secondOperations() throws Exception {
        return operations();
    }

    /** The store of the current test. */
    public final Persistence persistence() {
        return persistence;
    }

    @BeforeEach
    final void openStore() throws Exception {
        persistence = openPersistence();
    }

    @AfterEach
    final void closeStore() throws Exception {
        Exception failure = null;
        try {
            closePersistence();
        } catch (Exception e) {
            failure = e;
        }
        // Everything is closed even when one close fails: a leaked pool would outlive the test.
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // ---- the kits: one line each ----

    @Nested class Creating extends CreatingKit {}
    @Nested class Transitions extends TransitionsKit {}
    @Nested class Context extends ContextKit {}
    @Nested class Listing extends ListingKit {}
    @Nested class Deleting extends DeletingKit {}
    @Nested class Races extends RacesKit {}
    @Nested class History extends HistoryKit {}
    @Nested class Leases extends LeasesKit {}
    @Nested class Recovery extends RecoveryKit {}
    @Nested class Incarnations extends IncarnationsKit {}
    @Nested class ActivityLog extends ActivityLogKit {}
    @Nested class Listeners extends ListenersKit {}
    @Nested class Transcript extends TranscriptKit {}
    @Nested class Fork extends ForkKit {}
    @Nested class ShortIds extends ShortIdsKit {}
    @Nested class Operations extends OperationsKit {}
    @Nested class ExportImport extends ExportImportKit {}
    @Nested class WriteTime extends WriteTimeKit {}
    @Nested class ChangeFeed extends ChangeFeedKit {}
}
