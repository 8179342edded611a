package dev.tunewright.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Teams and their API keys, through the gateway's admin API. */
@Command(name = "teams", mixinStandardHelpOptions = true,
        description = "Create and list teams and manage their API keys (gateway admin API).",
        subcommands = {
                TeamsCommand.Create.class,
                TeamsCommand.ListTeams.class,
                TeamKeysCommand.class
        })
public class TeamsCommand implements Runnable {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a team and print its first API key; the key is shown only this once.")
    public static class Create implements Callable<Integer> {

        @Mixin
        GatewayOptions gateway;

        @Parameters(index = "0", paramLabel = "NAME", description = "Team name.")
        String name;

        @Option(names = "--json", description = "Print the gateway's JSON answer.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode team = gateway.adminApi().createTeam(name);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JSON.writeValueAsString(team));
                return 0;
            }
            JsonNode key = team.path("api_key");
            out.println("created team " + team.path("name").asText(name) + " (id " + team.path("id").asText() + ")");
            out.println("API key " + key.path("id").asText() + " (prefix " + key.path("prefix").asText()
                    + "), shown only now:");
            out.println("  " + key.path("key").asText());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the teams.")
    public static class ListTeams implements Callable<Integer> {

        @Mixin
        GatewayOptions gateway;

        @Option(names = "--json", description = "Print the gateway's JSON answer.")
        boolean json;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            JsonNode teams = gateway.adminApi().listTeams();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(JSON.writeValueAsString(teams));
                return 0;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"ID", "NAME", "CREATED"});
            for (JsonNode team : teams.path("data")) {
                rows.add(new String[] {team.path("id").asText(), team.path("name").asText(), team.path("created_at").asText()});
            }
            Table.print(out, rows);
            return 0;
        }
    }
}
