package dev.tunewright.engine.chat.jinja;


import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.tree.Node;
import java.util.function.BiConsumer;

/**
 * Bounds the work of one render. Jinjava has no loop-iteration limit, so an untrusted template
 * with nested loops could run for hours; every node Jinjava renders is counted here and the render
 * is aborted past a node or time budget. The abort is an {@link Error} because Jinjava records
 * exceptions and keeps rendering, which would not stop a runaway loop.
 */
final class RenderBudget implements BiConsumer<Node, JinjavaInterpreter> {

    static final long MAX_NODES = 1_000_000;
    static final long MAX_NANOS = 20_000_000_000L;

    /** Thrown through Jinjava to stop a render; carries no stack trace. */
    static final class Exhausted extends Error {
        Exhausted(String message) {
            super(message, null, false, false);
        }
    }

    private static final ThreadLocal<long[]> CURRENT = new ThreadLocal<>();

    static void start() {
        CURRENT.set(new long[] {0, System.nanoTime() + MAX_NANOS});
    }

    static void finish() {
        CURRENT.remove();
    }

    @Override
    public void accept(Node node, JinjavaInterpreter interpreter) {
        long[] budget = CURRENT.get();
        if (budget == null) {
            return;
        }
        if (++budget[0] > MAX_NODES) {
            throw new Exhausted("chat template rendered more than " + MAX_NODES + " nodes; aborted");
        }
        if ((budget[0] & 1023) == 0 && System.nanoTime() > budget[1]) {
            throw new Exhausted("chat template ran longer than " + MAX_NANOS / 1_000_000_000L + " s; aborted");
        }
    }
}
