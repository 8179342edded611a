package dev.tunewright.eval.metrics;

import java.util.Locale;

/**
 * How an output is read as a label: case, surrounding whitespace and quotes and a final full stop do not make
 * an answer wrong ({@code "Billing."} is {@code billing}); anything else does.
 */
public final class Labels {

    private Labels() {
    }

    public static String normalize(String text) {
        String s = text.strip();
        while (s.length() >= 2 && isQuote(s.charAt(0)) && s.charAt(s.length() - 1) == s.charAt(0)) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.endsWith(".") && !s.endsWith("..")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        return s.toLowerCase(Locale.ROOT);
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\'' || c == '`';
    }
}
