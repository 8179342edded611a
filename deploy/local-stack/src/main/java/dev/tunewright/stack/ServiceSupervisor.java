package dev.tunewright.stack;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Keeps the services of a running stack up: a service that exits (a crash, a kill, running out of memory) is started
 * again after a back-off that doubles from 1 s to 1 min while it keeps dying quickly, and starts over once it ran for
 * a minute. The launcher is told of every exit and restart, to log them and show them in {@code stack status}.
 */
final class ServiceSupervisor implements Runnable {

    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofMinutes(1);
    static final Duration STABLE_RUN = Duration.ofMinutes(1);
    private static final Duration POLL = Duration.ofMillis(250);

    /** What the launcher does on each event, under its own lock. */
    interface Listener {
        void exited(ServiceProcess service, Duration restartIn);

        void restart(ServiceProcess service);
    }

    private final Supplier<List<ServiceProcess>> services;
    private final Listener listener;
    private volatile boolean stopped;

    ServiceSupervisor(Supplier<List<ServiceProcess>> services, Listener listener) {
        this.services = services;
        this.listener = listener;
    }

    void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        while (!stopped) {
            for (ServiceProcess service : services.get()) {
                if (stopped) {
                    return;
                }
                if (service.isAlive()) {
                    continue;
                }
                long now = System.nanoTime();
                if (!service.restartScheduled()) {
                    listener.exited(service, service.scheduleRestart(now, FIRST_DELAY, MAX_DELAY, STABLE_RUN));
                } else if (service.restartDue(now)) {
                    listener.restart(service);
                }
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
