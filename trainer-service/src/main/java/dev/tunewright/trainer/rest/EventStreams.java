package dev.tunewright.trainer.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.trainer.messaging.JobEventNotifications;
import dev.tunewright.trainer.repository.JobEventRecord;
import dev.tunewright.trainer.repository.JobEventRepository;
import dev.tunewright.trainer.repository.JobRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The live event streams of this API instance. One thread sends them all: when a job's events are notified (or
 * on the once-a-second tick) it reads what each of that job's streams has not sent yet, oldest first, and sends
 * it; a stream whose job has ended gets {@code [DONE]} after its last event and is closed. Nothing blocks a
 * request thread for the hours a job may run.
 */
@ApplicationScoped
public class EventStreams {

    private static final Logger LOG = Logger.getLogger(EventStreams.class);
    private static final int BATCH = 500;

    private final JobRepository jobs;
    private final JobEventRepository events;
    private final JobEventNotifications notifications;
    private final ObjectMapper json;
    private final Map<String, List<Stream>> byJob = new ConcurrentHashMap<>();
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "tunewright-event-streams");
        thread.setDaemon(true);
        return thread;
    });

    private static final class Stream {
        final SseEventSink sink;
        final Sse sse;
        volatile long lastSeq;

        Stream(SseEventSink sink, Sse sse, long lastSeq) {
            this.sink = sink;
            this.sse = sse;
            this.lastSeq = lastSeq;
        }
    }

    public EventStreams(JobRepository jobs, JobEventRepository events, JobEventNotifications notifications,
            ObjectMapper json) {
        this.jobs = jobs;
        this.events = events;
        this.notifications = notifications;
        this.json = json;
    }

    /** Streams the job's events after {@code afterSeq}, then live until the job ends or the client goes. */
    public void open(String jobId, long afterSeq, SseEventSink sink, Sse sse) {
        notifications.subscribe(this::changed);
        byJob.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(new Stream(sink, sse, afterSeq));
        changed(jobId);
    }

    /** A job has new events (null: look at every streamed job). Cheap; the sender thread does the work. */
    void changed(String jobId) {
        if (jobId == null) {
            dirty.addAll(byJob.keySet());
        } else if (byJob.containsKey(jobId)) {
            dirty.add(jobId);
        } else {
            return;
        }
        sender.execute(this::sendDirty);
    }

    private void sendDirty() {
        for (String jobId : List.copyOf(dirty)) {
            dirty.remove(jobId);
            try {
                send(jobId);
            } catch (RuntimeException e) {
                LOG.warnf(e, "sending the events of %s failed; retrying on the next change", jobId);
            }
        }
    }

    private void send(String jobId) {
        List<Stream> streams = byJob.getOrDefault(jobId, List.of());
        streams.removeIf(stream -> stream.sink.isClosed());
        if (streams.isEmpty()) {
            byJob.remove(jobId);
            return;
        }
        for (Stream stream : streams) {
            boolean ended;
            List<JobEventRecord> batch;
            do {
                long after = stream.lastSeq;
                // the status is read before the events: an ended job's last events committed with its status
                ended = QuarkusTransaction.requiringNew().call(() -> jobs.findByIdOptional(jobId).map(j -> j.status.ended())
                        .orElse(true));
                batch = QuarkusTransaction.requiringNew().call(() -> events.since(jobId, after, BATCH));
                for (JobEventRecord event : batch) {
                    stream.sink.send(stream.sse.newEventBuilder().id(EventView.id(event.seq)).data(write(event)).build());
                    stream.lastSeq = event.seq;
                }
            } while (batch.size() == BATCH && !stream.sink.isClosed());
            if (ended) {
                stream.sink.send(stream.sse.newEventBuilder().data("[DONE]").build())
                        .whenComplete((done, error) -> stream.sink.close());
                streams.remove(stream);
            }
        }
    }

    private String write(JobEventRecord event) {
        try {
            return json.writeValueAsString(EventView.of(event, json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        sender.shutdownNow();
        byJob.values().forEach(streams -> streams.forEach(stream -> stream.sink.close()));
    }
}
