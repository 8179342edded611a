package dev.tunewright.eval.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.common.rest.ListPage;
import dev.tunewright.eval.config.EvalConfig;
import dev.tunewright.eval.repository.Evaluation;
import dev.tunewright.eval.service.EvaluationExamples;
import dev.tunewright.eval.service.EvaluationReports;
import dev.tunewright.eval.service.EvaluationRequest;
import dev.tunewright.eval.service.EvaluationService;
import dev.tunewright.eval.service.EvaluationWorkers;
import dev.tunewright.eval.service.ExampleView;
import dev.tunewright.eval.report.ReportPage;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Evaluations of the calling team: create, list, read, their examples and their report page. */
@Path("/v1/evaluations")
@Produces(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    private final EvaluationService evaluations;
    private final EvaluationExamples examples;
    private final EvaluationReports reports;
    private final EvaluationWorkers workers;
    private final CallerTeam caller;
    private final EvalConfig config;

    public EvaluationResource(EvaluationService evaluations, EvaluationExamples examples, EvaluationReports reports,
            EvaluationWorkers workers, CallerTeam caller, EvalConfig config) {
        this.evaluations = evaluations;
        this.examples = examples;
        this.reports = reports;
        this.workers = workers;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(JsonNode body) {
        Evaluation created = evaluations.create(caller.teamId(), EvaluationRequest.parse(body, config));
        workers.wake();
        return Response.status(201).entity(view(created)).build();
    }

    @GET
    public ListPage<EvaluationView> list(@QueryParam("after") String after, @QueryParam("limit") @DefaultValue("20") int limit) {
        int bounded = bounded(limit);
        List<Evaluation> page = evaluations.page(caller.teamId(), after, bounded);
        return ListPage.of(page.stream().limit(bounded).map(this::view).toList(), page.size() > bounded);
    }

    @GET
    @Path("/{id}")
    public EvaluationView get(@PathParam("id") String id) {
        return view(evaluations.get(caller.teamId(), id));
    }

    @GET
    @Path("/{id}/examples")
    public ListPage<ExampleView> examples(@PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") @DefaultValue("20") int limit, @QueryParam("disagreements") boolean disagreements) {
        Evaluation evaluation = evaluations.get(caller.teamId(), id);
        int cursor;
        try {
            cursor = after == null ? -1 : Integer.parseInt(after);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_value", "after", "after must be an example index");
        }
        EvaluationExamples.Page page = examples.page(evaluation, cursor, bounded(limit), disagreements);
        return ListPage.of(page.data(), page.hasMore());
    }

    @GET
    @Path("/{id}/report.html")
    @Produces(MediaType.TEXT_HTML)
    public Response report(@PathParam("id") String id) {
        Evaluation evaluation = evaluations.get(caller.teamId(), id);
        if (evaluation.result == null) {
            throw ApiException.conflict("evaluation_not_ready", "evaluation '" + id + "' is " + evaluation.status
                    + "; its report exists once it has succeeded");
        }
        return Response.ok(reports.render(evaluation), MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Content-Security-Policy", ReportPage.CONTENT_SECURITY_POLICY).build();
    }

    private EvaluationView view(Evaluation e) {
        return EvaluationView.of(e, Evaluation.QUEUED.equals(e.status) ? evaluations.position(e.id).orElse(null) : null);
    }

    private static int bounded(int limit) {
        if (limit < 1 || limit > 100) {
            throw ApiException.badRequest("invalid_value", "limit", "limit must be from 1 to 100");
        }
        return limit;
    }
}
