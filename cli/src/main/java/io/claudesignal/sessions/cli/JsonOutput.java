package io.claudesignal.sessions.cli;

import io.claudesignal.sessions.application.port.in.StoreSizes;
import io.claudesignal.sessions.domain.Activity;
import io.claudesignal.sessions.domain.CatchUp;
import io.claudesignal.sessions.domain.Transition;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.claudesignal.sessions.application.port.out.HealthCheck;
import io.claudesignal.sessions.application.port.in.HealthReport;
import io.claudesignal.sessions.application.port.in.SessionPage;
import io.claudesignal.sessions.domain.Session;
import io.claudesignal.sessions.domain.SessionId;
import io.claudesignal.sessions.domain.SessionSummary;
import java.io.PrintStream;
import java.util.Optional;

/** One compact JSON document per command on stdout; errors as one JSON object on stderr. */
final class JsonOutput implements Output {

    private final PrintStream out;
    private final PrintStream err;

    JsonOutput(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void session(Session session, boolean withContext) {
        print(out, JsonText.session(session));
    }

    @Override
    public void page(SessionPage page, Optional<String> nextPage, boolean longIds) {
        // Scripts always get whole ids: a short one may become ambiguous as the store grows.
        ObjectNode root = JsonText.object();
        ArrayNode list = root.putArray("sessions");
        for (SessionSummary s : page.sessions()) {
            list.add(JsonText.summary(s));
        }
        root.put("nextCursor", page.nextCursor().orElse(null));
        print(out, root);
    }

    @Override
    public void deleted(SessionId id) {
        ObjectNode root = JsonText.object();
        root.put("deleted", id.toString());
        print(out, root);
    }

    @Override
    public void health(HealthReport report, Optional<StoreSizes> sizes) {
        ObjectNode root = JsonText.object();
        root.put("ok", report.ok());
        ArrayNode checks = root.putArray("checks");
        for (HealthCheck check : report.checks()) {
            ObjectNode node = checks.addObject();
            node.put("name", check.name());
            node.put("ok", check.ok());
            node.put("detail", check.detail());
        }
        if (sizes.isPresent()) {
            root.set("sizes", OperationsOutput.sizes(sizes.get()));
        } else {
            root.putNull("sizes");
        }
        print(out, root);
    }

    @Override
    public void history(SessionId id, List<Transition> history) {
        ObjectNode root = JsonText.object();
        root.put("id", id.toString());
        ArrayNode list = root.putArray("history");
        for (Transition t : history) {
            ObjectNode node = list.addObject();
            node.put("from", t.from().name());
            node.put("to", t.to().name());
            node.put("at", t.at().toString());
            node.put("reason", t.reason());
            node.put("actor", t.actor().value());
        }
        print(out, root);
    }

    @Override
    public void recovered(List<SessionId> ids) {
        ObjectNode root = JsonText.object();
        ArrayNode list = root.putArray("recovered");
        ids.forEach(id -> list.add(id.toString()));
        print(out, root);
    }

    @Override
    public void activities(SessionId id, List<Activity> activities) {
        ObjectNode root = JsonText.object();
        root.put("id", id.toString());
        root.set("activities", activityList(activities));
        print(out, root);
    }

    @Override
    public void catchUp(CatchUp catchUp, boolean acknowledged) {
        ObjectNode root = JsonText.object();
        root.put("id", catchUp.sessionId().toString());
        root.put("count", catchUp.count());
        root.put("acknowledgedSeq", catchUp.acknowledgedSeq());
        root.put("throughSeq", catchUp.throughSeq());
        root.put("summary", catchUp.summary());
        root.put("acknowledged", acknowledged);
        root.set("activities", activityList(catchUp.activities()));
        print(out, root);
    }

    private static ArrayNode activityList(List<Activity> activities) {
        ArrayNode list = JsonText.object().arrayNode();
        for (Activity a : activities) {
            ObjectNode node = list.addObject();
            node.put("seq", a.seq());
            node.put("type", a.type());
            node.put("at", a.at().toString());
            node.putRawValue("details", JsonText.stored(a.details()));
        }
        return list;
    }

    @Override
    public void error(ExitCode code, String message) {
        ObjectNode root = JsonText.object();
        ObjectNode error = root.putObject("error");
        error.put("code", code.code());
        error.put("type", code.type());
        error.put("message", message);
        print(err, root);
    }

    private static void print(PrintStream stream, JsonNode node) {
        stream.print(JsonText.compact(node) + "\n");
        stream.flush();
    }
}
