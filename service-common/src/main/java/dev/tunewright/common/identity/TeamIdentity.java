package dev.tunewright.common.identity;

import java.util.regex.Pattern;

/**
 * The team a request acts for, as the gateway established it from an API key. The id is restricted to
 * characters that cannot collide with the separators of the signed header.
 */
public record TeamIdentity(String teamId, String teamName) {

    private static final Pattern TEAM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public TeamIdentity {
        if (teamId == null || !TEAM_ID.matcher(teamId).matches()) {
            throw new IllegalArgumentException("team id must match " + TEAM_ID.pattern());
        }
        if (teamName == null || teamName.isBlank()) {
            throw new IllegalArgumentException("team name must not be blank");
        }
    }
}
