package io.claudesignal.sessions.tck;

import io.claudesignal.sessions.application.port.in.Sessions;
import io.claudesignal.sessions.application.port.out.Persistence;
import io.claudesignal.sessions.application.port.out.StorageAdapter;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/**
 * The rules every adapter of the persistence ports must keep, stated as tests through the
 * {@link Sessions} API the daemon uses. An adapter's test subclasses this, answers the two things it
 * asks (a fresh, empty store, and a second handle on that same storage, as a second process would open
 * it) and must pass it unchanged:
 *
 * <pre>{@code
 * class SqliteSessionsTckTest extends SessionsTck {
 *     @TempDir
 *     Path dir;
 *
 *     @Override
 *     protected StorageAdapter openStorage() {
 *         return SqliteStorage.open(dir.resolve("sessions.db"));
 *     }
 *
 *     @Override
 *     protected StorageAdapter openSecondHandle() {
 *         return SqliteStorage.open(dir.resolve("sessions.db"));
 *     }
 * }
 * }</pre>
 *
 * Every handle is closed after the test, newest first. Anything else to undo (a schema to drop) is
 * handed to {@link #closeAfterwards} before the store is opened, so that it runs after the store closed.
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
 * adapter runs them with a second small class that answers the same two hooks.
 */
public abstract class SessionsTck {

    /** The store of the current test, as {@link #openStorage()} opened it. */
    protected Persistence persistence;
    private final Handles handles = new Handles();

    /** A new, empty store of the adapter under test. Called before each test; closed after it. */
    protected abstract StorageAdapter openStorage() throws Exception;

    /**
     * A second handle on the storage {@link #openStorage()} opened for this test, as a second process
     * would open it (a second connection pool, a second writer on the file). Race and change-feed
     * tests spread their work over both. Closed after the test; one test may open several.
     */
    protected abstract StorageAdapter openSecondHandle() throws Exception;

    /**
     * Closes {@code resource} after the current test, in the reverse order of registration, after
     * every handle opened since: register a schema to drop before opening the store in it.
     *
     * @return {@code resource}
     */
    protected final <T extends AutoCloseable> T closeAfterwards(T resource) {
        return handles.closeAfterwards(resource);
    }

    /** The store of the current test. */
    public final Persistence persistence() {
        return persistence;
    }

    /** A second handle's ports, opened now (see {@link #openSecondHandle()}). */
    final Persistence secondPersistence() throws Exception {
        return handles.second(openSecondHandle()).persistence();
    }

    /** The store operations (pin, purge, export and import) over this test's store. */
    final StoreOperations operations() {
        return handles.first().operations();
    }

    /** The store operations of the second handle opened last, else of the first. */
    final StoreOperations secondOperations() {
        return handles.latestSecond().operations();
    }

    @BeforeEach
    final void openStore() throws Exception {
        persistence = handles.first(openStorage()).persistence();
    }

    @AfterEach
    final void closeStore() throws Exception {
        persistence = null;
        handles.closeAll();
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
    @Nested class Search extends SearchKit {}
    @Nested class Fork extends ForkKit {}
    @Nested class ShortIds extends ShortIdsKit {}
    @Nested class Operations extends OperationsKit {}
    @Nested class ExportImport extends ExportImportKit {}
    @Nested class WriteTime extends WriteTimeKit {}
    @Nested class ChangeFeed extends ChangeFeedKit {}
    @Nested class Approvals extends ApprovalsKit {}
    @Nested class Inbox extends InboxKit {}
    @Nested class Outbox extends OutboxKit {}
    @Nested class NamedSessions extends NamedSessionsKit {}
    @Nested class Batches extends BatchKit {}
    @Nested class Compaction extends CompactionKit {}
}
