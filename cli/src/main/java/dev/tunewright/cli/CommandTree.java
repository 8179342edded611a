package dev.tunewright.cli;

import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;

/** Lists every command, nested ones included, in `ftctl --help`, so one screen shows all the CLI can do. */
final class CommandTree implements IHelpSectionRenderer {

    private static final int DESCRIPTION_COLUMN = 24;
    private static final int WIDTH = 100;

    @Override
    public String render(Help help) {
        Map<String, Help> subcommands = help.subcommands();
        StringBuilder text = new StringBuilder();
        subcommands.forEach((name, sub) -> append(text, name, sub, 1));
        return text.toString();
    }

    private static void append(StringBuilder text, String name, Help help, int depth) {
        String label = "  ".repeat(depth) + name;
        text.append(label);
        text.append(label.length() < DESCRIPTION_COLUMN ? " ".repeat(DESCRIPTION_COLUMN - label.length()) : "  ");
        int column = Math.max(DESCRIPTION_COLUMN, label.length() + 2);
        boolean lineStart = true;
        for (String word : summary(help).split(" ")) {
            if (column + word.length() + 1 > WIDTH && !lineStart) {
                text.append('\n').append(" ".repeat(DESCRIPTION_COLUMN));
                column = DESCRIPTION_COLUMN;
                lineStart = true;
            }
            if (!lineStart) {
                text.append(' ');
                column++;
            }
            text.append(word);
            column += word.length();
            lineStart = false;
        }
        text.append('\n');
        help.subcommands().forEach((childName, child) -> append(text, childName, child, depth + 1));
    }

    /** The header when there is one (picocli's own help command has only that), else the description's first line. */
    private static String summary(Help help) {
        String[] header = help.commandSpec().usageMessage().header();
        String[] description = help.commandSpec().usageMessage().description();
        String[] source = header.length > 0 ? header : description;
        return source.length == 0 ? "" : source[0].replace("%n", " ").trim();
    }
}
