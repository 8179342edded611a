package dev.tunewright.engine.generate;

import java.util.Locale;

/** Why a sequence stopped: an EOS token or stop string, or the max-new-tokens limit. */
public enum FinishReason {
    STOP,
    LENGTH;

    /** "stop" / "length", the names OpenAI-style clients expect. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
