package dev.tunewright.dataset.validation;

import java.util.Locale;

/** How two rows are decided to be the same example. */
public enum Dedup {
    /** Byte-identical prompt and response. */
    EXACT,
    /** Equal after folding case and collapsing whitespace: catches copy-paste variants of one example. */
    NORMALIZED,
    /** Keep every row. */
    NONE;

    public static Dedup parse(String value) {
        try {
            return Dedup.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dedup must be one of exact, normalized, none; was '" + value + "'");
        }
    }

    /** Case- and whitespace-folded text; also what leakage between splits is measured on. */
    public static String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
