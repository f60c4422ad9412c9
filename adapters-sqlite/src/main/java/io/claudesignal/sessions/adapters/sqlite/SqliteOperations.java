package io.claudesignal.sessions.adapters.sqlite;

import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.ACTIVITIES;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.ACTIVITY_LOGS;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.SESSIONS;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.TRANSCRIPTS;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.TRANSCRIPT_ITEMS;
import static io.claudesignal.sessions.adapters.sqlite.jooq.Tables.TRANSITIONS;

import io.claudesignal.sessions.domain.StorageException;
import io.claudesignal.sessions.domain.StorageException.Reason;
import io.claudesignal.sessions.domain.DuplicateSessionException;
import io.claudesignal.sessions.application.port.out.SessionArchive;
import io.claudesignal.sessions.application.port.out.StoreOperations;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.Actor;
import io.claudesignal.sessions.domain.InvalidInputException;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionNotFoundException;
import io.claudesignal.sessions.domain.SessionStatus;
import io.claudesignal.sessions.domain.SessionSummary;
import io.claudesignal.sessions.domain.TranscriptItem;
import io.claudesignal.sessions.domain.Transition;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.sqlite.SQLiteConnection;

/** Pinning, retention, whole-session export and import, sizes and online backup on one SQLite file. */
final class SqliteOperations implements StoreOperations {

    /** Rows one multi-row INSERT binds at most (SQLite's limit on bound parameters is far above 5 x 200). */
    private static final int CHUNK = 200;

    private final SqliteDatabase db;
    private final SqliteSettings settings;

    SqliteOperations(SqliteDatabase db, SqliteSettings settings) {
        this.db = db;
        this.settings = settings;
    }

    @Override
    public Session setPinned(SessionId id, boolean pinned) {
        return db.write(ctx -> {
            int rows = ctx.update(SESSIONS).set(SESSIONS.PINNED, pinned ? 1 : 0).where(SESSIONS.ID.eq(id.value())).execute();
            if (rows == 0) {
                throw new SessionNotFoundException(id);
            }
            return SqliteSessionRepository.load(ctx, id).orElseThrow(() -> new SessionNotFoundException(id));
        });
    }

    /** What a purge may delete; evaluated by the deleting statement itself. */
    private static Condition purgeable(Instant cutoff) {
        return SESSIONS.STATUS.eq(SessionStatus.TERMINATED.name()).and(SESSIONS.PINNED.eq(0))
                .and(SESSIONS.UPDATED_AT.lt(cutoff));
    }

    @Override
    public List<SessionSummary> purgeCandidates(Instant cutoff, Optional<SessionSummary> after, int limit) {
        Condition where = purgeable(cutoff);
        if (after.isPresent()) {
            where = where.and(DSL.row(SESSIONS.UPDATED_AT, SESSIONS.ID).gt(after.get().updatedAt(), after.get().id().value()));
        }
        Condition condition = where;
        return db.read(ctx -> ctx.select(SESSIONS.ID, SESSIONS.PROJECT_PATH, SESSIONS.THREAD_ID, SESSIONS.STATUS,
                        SESSIONS.CREATED_AT, SESSIONS.UPDATED_AT, SESSIONS.VERSION, SESSIONS.PINNED)
                .from(SESSIONS).where(condition)
                .orderBy(SESSIONS.UPDATED_AT, SESSIONS.ID)
                .limit(limit)
                .fetch(r -> new SessionSummary(new SessionId(r.value1()), r.value2(), r.value3(),
                        SessionStatus.valueOf(r.value4()), r.value5(), r.value6(), r.value7(), r.value8() != 0)));
    }

    @Override
    public int purgeBatch(Instant cutoff, int limit) {
        // One short write: the candidates and their deletion in one statement, under the write lock
        // only for this batch. History, lease, activity log and transcript go by ON DELETE CASCADE, and
        // secure_delete overwrites their pages.
        return db.write(ctx -> ctx.deleteFrom(SESSIONS)
                .where(SESSIONS.ID.in(DSL.select(SESSIONS.ID).from(SESSIONS).where(purgeable(cutoff))
                        .orderBy(SESSIONS.UPDATED_AT, SESSIONS.ID).limit(limit)))
                .and(purgeable(cutoff))
                .execute());
    }

    @Override
    public Optional<SessionArchive> archive(SessionId id) {
        // One read transaction: the counters agree with the rows they count.
        return db.read(ctx -> ctx.transactionResult(cfg -> read(DSL.using(cfg), id)));
    }

    private static Optional<SessionArchive> read(DSLContext ctx, SessionId id) {
        Optional<Session> session = SqliteSessionRepository.load(ctx, id);
        if (session.isEmpty()) {
            return Optional.empty();
        }
        List<Transition> history = ctx.selectFrom(TRANSITIONS).where(TRANSITIONS.SESSION_ID.eq(id.value()))
                .orderBy(TRANSITIONS.SEQ)
                .fetch(r -> new Transition(id, SessionStatus.valueOf(r.getFromStatus()),
                        SessionStatus.valueOf(r.getToStatus()), r.getChangedAt(), r.getReason(), new Actor(r.getActor())));
        Record counters = ctx.select(ACTIVITY_LOGS.LAST_SEQ, ACTIVITY_LOGS.ACKNOWLEDGED_SEQ).from(ACTIVITY_LOGS)
                .where(ACTIVITY_LOGS.SESSION_ID.eq(id.value())).fetchOne();
        List<Activity> activities = ctx.selectFrom(ACTIVITIES).where(ACTIVITIES.SESSION_ID.eq(id.value()))
                .orderBy(ACTIVITIES.SEQ)
                .fetch(r -> new Activity(id, r.getSeq(), r.getType(), r.getDetails(), r.getOccurredAt()));
        long transcriptLast = ctx.select(TRANSCRIPTS.LAST_SEQ).from(TRANSCRIPTS).where(TRANSCRIPTS.SESSION_ID.eq(id.value()))
                .fetchOptional(TRANSCRIPTS.LAST_SEQ).orElse(0L);
        return Optional.of(new SessionArchive(session.get(), history,
                counters == null ? 0 : counters.get(ACTIVITY_LOGS.LAST_SEQ),
                counters == null ? 0 : counters.get(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ), activities, transcriptLast));
    }

    @Override
    public void restore(SessionArchive archive, List<TranscriptItem> items) {
        Session s = archive.session();
        db.write(ctx -> {
            if (ctx.fetchExists(DSL.selectOne().from(SESSIONS).where(SESSIONS.ID.eq(s.id().value())))) {
                throw new DuplicateSessionException(s.id());
            }
            ctx.insertInto(SESSIONS)
                    .set(SESSIONS.ID, s.id().value()).set(SESSIONS.PROJECT_PATH, s.projectPath())
                    .set(SESSIONS.THREAD_ID, s.threadId()).set(SESSIONS.STATUS, s.status().name())
                    .set(SESSIONS.CREATED_AT, s.createdAt()).set(SESSIONS.UPDATED_AT, s.updatedAt())
                    .set(SESSIONS.VERSION, s.version()).set(SESSIONS.CONTEXT, s.context())
                    .set(SESSIONS.FORKED_FROM_ID, s.forkedFrom().map(f -> f.parentId().value()).orElse(null))
                    .set(SESSIONS.FORKED_FROM_SEQ, s.forkedFrom().map(f -> f.seq()).orElse(null))
                    .set(SESSIONS.PINNED, s.pinned() ? 1 : 0)
                    .execute();
            for (Transition t : archive.history()) {
                ctx.insertInto(TRANSITIONS)
                        .set(TRANSITIONS.SESSION_ID, s.id().value())
                        .set(TRANSITIONS.FROM_STATUS, t.from().name()).set(TRANSITIONS.TO_STATUS, t.to().name())
                        .set(TRANSITIONS.CHANGED_AT, t.at()).set(TRANSITIONS.REASON, t.reason())
                        .set(TRANSITIONS.ACTOR, t.actor().value())
                        .execute();
            }
            if (archive.activityLastSeq() > 0) {
                ctx.insertInto(ACTIVITY_LOGS).set(ACTIVITY_LOGS.SESSION_ID, s.id().value())
                        .set(ACTIVITY_LOGS.LAST_SEQ, archive.activityLastSeq())
                        .set(ACTIVITY_LOGS.ACKNOWLEDGED_SEQ, archive.acknowledgedSeq())
                        .execute();
                for (Activity a : archive.activities()) {
                    ctx.insertInto(ACTIVITIES).set(ACTIVITIES.SESSION_ID, s.id().value()).set(ACTIVITIES.SEQ, a.seq())
                            .set(ACTIVITIES.TYPE, a.type()).set(ACTIVITIES.OCCURRED_AT, a.at())
                            .set(ACTIVITIES.DETAILS, a.details())
                            .execute();
                }
            }
            if (archive.transcriptLastSeq() > 0) {
                ctx.insertInto(TRANSCRIPTS).set(TRANSCRIPTS.SESSION_ID, s.id().value())
                        .set(TRANSCRIPTS.LAST_SEQ, archive.transcriptLastSeq()).execute();
                for (int from = 0; from < items.size(); from += CHUNK) {
                    var insert = ctx.insertInto(TRANSCRIPT_ITEMS, TRANSCRIPT_ITEMS.SESSION_ID, TRANSCRIPT_ITEMS.SEQ,
                            TRANSCRIPT_ITEMS.ITEM_KEY, TRANSCRIPT_ITEMS.APPENDED_AT, TRANSCRIPT_ITEMS.ITEM);
                    for (TranscriptItem item : items.subList(from, Math.min(items.size(), from + CHUNK))) {
                        insert = insert.values(s.id().value(), item.seq(), item.key().orElse(null), item.at(), item.json());
                    }
                    insert.execute();
                }
            }
            return null;
        });
    }

    @Override
    public Sizes sizes() {
        return db.read(ctx -> ctx.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            Map<String, Long> byStatus = tx.select(SESSIONS.STATUS, DSL.count()).from(SESSIONS).groupBy(SESSIONS.STATUS)
                    .fetch().stream().collect(Collectors.toMap(r -> r.value1(), r -> r.value2().longValue()));
            long items = tx.fetchCount(TRANSCRIPT_ITEMS);
            return new Sizes(byStatus, items, OptionalLong.of(bytesOnDisk()));
        }));
    }

    private long bytesOnDisk() {
        long total = 0;
        for (Path path : List.of(db.file(), StoreFiles.companion(db.file(), "-wal"))) {
            try {
                total += Files.size(path);
            } catch (IOException missing) {
                // No -wal between connections: nothing to count.
            }
        }
        return total;
    }

    @Override
    public void backup(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        if (absolute.getFileName() == null || absolute.toString().indexOf('?') >= 0) {
            throw new InvalidInputException("file", "cannot be used as a backup file name: " + absolute);
        }
        if (Files.exists(absolute)) {
            throw new InvalidInputException("file", absolute + " exists already; the backup never overwrites a file");
        }
        if (!Files.isDirectory(absolute.getParent())) {
            throw new InvalidInputException("file", absolute.getParent() + " is not a directory");
        }
        // Built under a hidden name and published only once checked: the real name never holds a
        // partial or damaged copy.
        Path scratch = StoreFiles.scratchBeside(absolute, "backup");
        try {
            StoreFiles.createPrivateFile(scratch);
            try (Connection source = new Connections(db.file(), settings).inspector()) {
                // One step (all pages): a read transaction on a WAL database, so the copy is one
                // snapshot and writers are never held up.
                int rc = source.unwrap(SQLiteConnection.class).getDatabase().backup("main", scratch.toString(), null);
                if (rc != 0) {
                    throw new SQLException("backup ended with SQLite code " + rc, null, rc);
                }
            }
            List<String> problems = integrityCheck(scratch);
            if (!problems.equals(List.of("ok"))) {
                throw new StorageException(Reason.CORRUPT, absolute, "the backup failed its integrity check: "
                        + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
            }
            try (FileChannel channel = FileChannel.open(scratch, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            if (!StoreFiles.publish(scratch, absolute)) {
                throw new InvalidInputException("file", absolute + " exists already; the backup never overwrites a file");
            }
        } catch (IOException e) {
            throw StoreFiles.ioFailure(absolute, "writing the backup", e);
        } catch (SQLException e) {
            throw SqliteErrors.translate(absolute, "writing the backup", e);
        } finally {
            StoreFiles.deleteWithCompanions(scratch);
        }
    }

    private static List<String> integrityCheck(Path file) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Connection copy = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
                Statement statement = copy.createStatement();
                ResultSet rows = statement.executeQuery("PRAGMA integrity_check")) {
            while (rows.next()) {
                problems.add(rows.getString(1));
            }
        }
        return problems;
    }
}
