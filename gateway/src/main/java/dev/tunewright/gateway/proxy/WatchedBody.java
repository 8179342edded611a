package dev.tunewright.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;

/**
 * A request body on its way through the proxy, watched for clients that stop sending: in every window in which the
 * backend was ready for more (the proxy did not pause the body for backpressure) at least {@code minBytes} must
 * arrive, or the body fails with {@link TooSlow} and the backend request is reset. A client that announces a body
 * and sends none, or trickles it, would otherwise hold a connection to a backend (and its upload slot) for as long
 * as it likes.
 */
final class WatchedBody implements ReadStream<Buffer> {

    /** Why the body was cut off; the proxy answers 408 for it. */
    static final class TooSlow extends RuntimeException {
        TooSlow(String message) {
            super(message, null, false, false);
        }
    }

    private final ReadStream<Buffer> body;
    private final Vertx vertx;
    private final Duration window;
    private final long minBytes;
    private Handler<Throwable> exceptionHandler;
    private Handler<Void> endHandler;
    private long timer = -1;
    private boolean done;
    private long inWindow;
    private boolean paused = true;
    private boolean pausedInWindow = true;
    private volatile TooSlow failure;

    WatchedBody(ReadStream<Buffer> body, Vertx vertx, Duration window, long minBytes) {
        this.body = body;
        this.vertx = vertx;
        this.window = window;
        this.minBytes = minBytes;
    }

    /** The reason the body was cut off, or null. */
    TooSlow failure() {
        return failure;
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        body.exceptionHandler(handler == null ? null : failed -> {
            stopWatching();
            handler.handle(failed);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
        if (handler == null) {
            body.handler(null);
            stopWatching();
            return this;
        }
        body.handler(chunk -> {
            inWindow += chunk.length();
            handler.handle(chunk);
        });
        return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
        paused = true;
        pausedInWindow = true;
        body.pause();
        return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
        flowing();
        body.resume();
        return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
        flowing();
        body.fetch(amount);
        return this;
    }

    /** The backend is ready for more: the first time, the watch starts with a fresh window. */
    private void flowing() {
        paused = false;
        if (timer < 0 && !done) {
            inWindow = 0;
            pausedInWindow = false;
            timer = vertx.setPeriodic(window.toMillis(), id -> check());
        }
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> handler) {
        endHandler = handler;
        body.endHandler(done -> {
            stopWatching();
            if (endHandler != null) {
                endHandler.handle(done);
            }
        });
        return this;
    }

    private void check() {
        boolean backendWaited = !pausedInWindow && !paused;
        long received = inWindow;
        inWindow = 0;
        pausedInWindow = paused;
        if (!backendWaited || received >= minBytes) {
            return;
        }
        stopWatching();
        failure = new TooSlow("the request body sent " + received + " bytes in " + window.toSeconds() + " s, the minimum is "
                + minBytes + " (tunewright.gateway.body-window, tunewright.gateway.min-body-bytes)");
        body.handler(null);
        if (exceptionHandler != null) {
            exceptionHandler.handle(failure);
        }
    }

    private void stopWatching() {
        done = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
