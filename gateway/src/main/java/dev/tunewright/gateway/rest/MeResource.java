package dev.tunewright.gateway.rest;

import dev.tunewright.common.identity.CallerTeam;
import dev.tunewright.gateway.rest.AdminDtos.MeView;
import dev.tunewright.gateway.rest.AdminDtos.TeamRef;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Lets a client check its key: which team it acts for. */
@Path("/v1/me")
@ApiKeyAuth
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final CallerTeam caller;

    public MeResource(CallerTeam caller) {
        this.caller = caller;
    }

    @GET
    public MeView me() {
        return new MeView(new TeamRef(caller.teamId(), caller.teamName()));
    }
}
