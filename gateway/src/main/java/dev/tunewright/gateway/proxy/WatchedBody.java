package dev.tunewright.gateway.proxy;

import dev.tunewright.gateway.limits.BodyLimits;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.time.Duration;

/**
 * A request body on its way through the proxy, watched for clients that stop sending and for bodies over the path's
 * size limit. In every window in which the backend was ready for more (the proxy did not pause the body for
 * backpressure) at least {@code minBytes} must arrive, or the body fails with a 408; a client that announces a body
 * and sends none, or trickles it, would otherwise hold a connection to a backend (and its upload slot) for as long as
 * it likes. A body that grows past {@code maxBytes} (one sent without a Content-Length; a declared length is checked
 * before) fails with a 413. Either way the backend request is reset.
 */
final class WatchedBody implements ReadStream<Buffer> {

    /** Why the body was cut off, with the status the proxy answers. */
    static final class Refused extends RuntimeException {
        private final int status;
        private final String code;

        Refused(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        int status() {
            return status;
        }

        String code() {
            return code;
        }
    }

    private final ReadStream<Buffer> body;
    private final Vertx vertx;
    private final Duration window;
    private final long minBytes;
    private final long maxBytes;
    private final String limitSource;
    private long total;
    private Handler<Throwable> exceptionHandler;
    private Handler<Void> endHandler;
    private long timer = -1;
    private boolean done;
    private long inWindow;
    private boolean paused = true;
    private boolean pausedInWindow = true;
    private volatile Refused failure;

    /**
     * @param maxBytes    the path's body limit, or {@code BodyLimits.NONE}
     * @param limitSource the setting that sets {@code maxBytes}, named in the 413
     */
    WatchedBody(ReadStream<Buffer> body, Vertx vertx, Duration window, long minBytes, long maxBytes, String limitSource) {
        this.body = body;
        this.vertx = vertx;
        this.window = window;
        this.minBytes = minBytes;
        this.maxBytes = maxBytes;
        this.limitSource = limitSource;
    }

    /** The reason the body was cut off, or null. */
    Refused failure() {
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
            if (failure != null) {
                return;
            }
            inWindow += chunk.length();
            total += chunk.length();
            if (maxBytes >= 0 && total > maxBytes) {
                refuse(new Refused(413, "request_too_large", "the request body is larger than "
                        + BodyLimits.describe(maxBytes) + ", the limit of this path ("
                        + limitSource + ")"));
                return;
            }
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
        refuse(new Refused(408, "request_timeout", "the request body sent " + received + " bytes in "
                + window.toSeconds() + " s, the minimum is " + minBytes
                + " (tunewright.gateway.body-window, tunewright.gateway.min-body-bytes)"));
    }

    private void refuse(Refused reason) {
        stopWatching();
        failure = reason;
        body.handler(null);
        if (exceptionHandler != null) {
            exceptionHandler.handle(reason);
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
