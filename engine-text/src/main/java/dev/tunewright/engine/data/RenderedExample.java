package dev.tunewright.engine.data;

import java.util.List;

/**
 * A conversation as token ids with the token span of every assistant reply. A span ends just after the
 * reply's end-of-turn (or EOS) token, so training on the span teaches the model to stop.
 */
record RenderedExample(int[] ids, List<Reply> replies) {

    /** Tokens {@code [start, end)} of assistant message {@code message} (its index in the conversation). */
    record Reply(int message, int start, int end) {
    }

    RenderedExample {
        replies = List.copyOf(replies);
    }
}
