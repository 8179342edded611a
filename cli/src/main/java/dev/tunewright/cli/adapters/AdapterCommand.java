package dev.tunewright.cli.adapters;

import dev.tunewright.cli.ApiCommand;
import dev.tunewright.cli.TeamApiOptions;
import picocli.CommandLine.Mixin;

/** What every {@code ftctl adapters} command has: the team's API, {@code --json}, and its output. */
abstract class AdapterCommand extends ApiCommand {

    @Mixin
    TeamApiOptions api;
}
