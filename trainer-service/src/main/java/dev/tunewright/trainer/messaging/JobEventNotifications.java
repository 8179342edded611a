package dev.tunewright.trainer.messaging;

import dev.tunewright.trainer.repository.JobEventRepository;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Tells this process, within milliseconds, that a job has new events, wherever they were written (a worker in
 * another process): PostgreSQL {@code LISTEN} on {@link JobEventRepository#CHANNEL} over one connection of its
 * own, outside the pool. Listeners get the job id of each notification and, once a second, {@code null}: a tick
 * on which they look again anyway, so a notification lost while the connection was down costs at most a second.
 */
@ApplicationScoped
public class JobEventNotifications {

    private static final Logger LOG = Logger.getLogger(JobEventNotifications.class);
    private static final int TICK_MILLIS = 1000;

    private final String url;
    private final String user;
    private final String password;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private volatile Thread thread;
    private volatile boolean stopped;

    public JobEventNotifications(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /** Registers a listener and starts listening on first use. */
    public synchronized void subscribe(Consumer<String> listener) {
        listeners.add(listener);
        if (thread == null && !stopped) {
            thread = new Thread(this::listen, "tunewright-job-event-listener");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void listen() {
        while (!stopped) {
            try (Connection connection = DriverManager.getConnection(url, user, password)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + JobEventRepository.CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (!stopped) {
                    PGNotification[] notifications = pg.getNotifications(TICK_MILLIS);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            deliver(notification.getParameter());
                        }
                    }
                    deliver(null);
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                LOG.warnf("listening for job events failed (%s); live streams fall back to polling until it reconnects",
                        e.getMessage());
                deliver(null);
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private void deliver(String jobId) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(jobId);
            } catch (RuntimeException e) {
                LOG.warnf(e, "job event listener failed");
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
        }
    }
}
