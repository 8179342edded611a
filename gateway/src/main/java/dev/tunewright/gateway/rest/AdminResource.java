package dev.tunewright.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.gateway.rest.AdminDtos.CreateTeamRequest;
import dev.tunewright.gateway.rest.AdminDtos.CreatedTeamView;
import dev.tunewright.gateway.rest.AdminDtos.IssuedKeyView;
import dev.tunewright.gateway.rest.AdminDtos.KeyView;
import dev.tunewright.gateway.rest.AdminDtos.ListView;
import dev.tunewright.gateway.rest.AdminDtos.RevokedKeyView;
import dev.tunewright.gateway.rest.AdminDtos.RotateKeysRequest;
import dev.tunewright.gateway.rest.AdminDtos.RotationView;
import dev.tunewright.gateway.rest.AdminDtos.TeamView;
import dev.tunewright.gateway.repository.ApiKey;
import dev.tunewright.gateway.service.TeamService;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operator API: teams and their API keys. Key secrets appear in creation answers only. */
@Path("/admin")
@AdminApi
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin")
public class AdminResource {

    private final TeamService teams;
    private final ObjectMapper json;

    public AdminResource(TeamService teams, ObjectMapper json) {
        this.teams = teams;
        this.json = json;
    }

    @POST
    @Path("/teams")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a team with its first API key; publishes TeamCreated")
    public Response createTeam(CreateTeamRequest request) {
        if (request == null) {
            throw ApiException.badRequest("invalid_team_name", "name", "body must be {\"name\": \"<team>\"}");
        }
        return Response.status(Response.Status.CREATED)
                .entity(CreatedTeamView.of(teams.createTeam(request.name())))
                .build();
    }

    @GET
    @Path("/teams")
    public ListView<TeamView> listTeams() {
        return new ListView<>(teams.listTeams().stream().map(TeamView::of).toList());
    }

    @POST
    @Path("/teams/{name}/keys")
    @Operation(summary = "Issue another API key to a team")
    public Response createKey(@PathParam("name") String name) {
        return Response.status(Response.Status.CREATED)
                .entity(IssuedKeyView.of(teams.createKey(name), name))
                .build();
    }

    /** The body is optional (a bare POST rotates every current key with the default grace), so any type is taken. */
    @POST
    @Path("/teams/{name}/keys/rotate")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Issue a new API key; the team's current keys (or key_id) keep working for grace_seconds"
            + " (default tunewright.gateway.key-rotation-grace), then are refused")
    public Response rotateKeys(@PathParam("name") String name, String text) throws JsonProcessingException {
        RotateKeysRequest body = text == null || text.isBlank() ? new RotateKeysRequest(null, null)
                // A misspelt field would silently mean the default grace period: refused instead.
                : json.readerFor(RotateKeysRequest.class).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .readValue(text);
        Duration grace = body.graceSeconds() == null ? null : Duration.ofSeconds(body.graceSeconds());
        return Response.status(Response.Status.CREATED)
                .entity(RotationView.of(name, teams.rotate(name, grace, body.keyId())))
                .build();
    }

    @GET
    @Path("/teams/{name}/keys")
    public ListView<KeyView> listKeys(@PathParam("name") String name) {
        return new ListView<>(teams.listKeys(name).stream().map(KeyView::of).toList());
    }

    @DELETE
    @Path("/keys/{id}")
    @Operation(summary = "Revoke an API key; takes effect within tunewright.gateway.key-cache-ttl")
    public RevokedKeyView revokeKey(@PathParam("id") String id) {
        ApiKey key = teams.revoke(id);
        return new RevokedKeyView(key.id, key.revokedAt);
    }
}
