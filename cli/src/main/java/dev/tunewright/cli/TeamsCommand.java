package dev.tunewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.stack.AdminApi;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Teams and their API keys, through the gateway's admin API. */
@Command(name = "teams", mixinStandardHelpOptions = true,
        description = "Create and list teams and manage their API keys (gateway admin API).",
        subcommands = {
                TeamsCommand.Create.class,
                TeamsCommand.ListTeams.class,
                TeamKeysCommand.class
        })
public class TeamsCommand extends CommandGroup {

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a team and print its first API key; the key is shown only this once.")
    public static class Create extends AdminCommand {

        @Parameters(index = "0", paramLabel = "NAME", description = "Team name.")
        String name;

        @Override
        JsonNode answer(AdminApi api) {
            return api.createTeam(name);
        }

        @Override
        void print(PrintWriter out, JsonNode team) {
            out.println("created team " + team.path("name").asText(name) + " (id " + team.path("id").asText() + ")");
            printNewKey(out, "", team.path("api_key"), "");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the teams.")
    public static class ListTeams extends AdminCommand {

        @Override
        JsonNode answer(AdminApi api) {
            return api.listTeams();
        }

        @Override
        void print(PrintWriter out, JsonNode teams) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "NAME", "CREATED"});
            for (JsonNode team : teams.path("data")) {
                rows.add(new String[] {team.path("id").asText(), team.path("name").asText(), team.path("created_at").asText()});
            }
            Table.print(out, rows);
        }
    }
}
