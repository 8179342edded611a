package dev.tunewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a team and print its first API key; the key is shown only this once.")
    public static class Create extends AdminCommand {

        @Parameters(index = "0", paramLabel = "NAME", description = "Team name.")
        String name;

        @Override
        public Integer call() throws Exception {
            JsonNode team = gateway.adminApi().createTeam(name);
            if (printedJson(team)) {
                return 0;
            }
            JsonNode key = team.path("api_key");
            PrintWriter out = out();
            out.println("created team " + team.path("name").asText(name) + " (id " + team.path("id").asText() + ")");
            out.println("API key " + key.path("id").asText() + " (prefix " + key.path("prefix").asText()
                    + "), shown only now:");
            out.println("  " + key.path("key").asText());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the teams.")
    public static class ListTeams extends AdminCommand {

        @Override
        public Integer call() throws Exception {
            JsonNode teams = gateway.adminApi().listTeams();
            if (printedJson(teams)) {
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "NAME", "CREATED"});
            for (JsonNode team : teams.path("data")) {
                rows.add(new String[] {team.path("id").asText(), team.path("name").asText(), team.path("created_at").asText()});
            }
            Table.print(out(), rows);
            return 0;
        }
    }
}
