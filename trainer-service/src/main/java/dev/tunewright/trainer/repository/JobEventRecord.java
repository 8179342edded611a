package dev.tunewright.trainer.repository;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One event of a job as stored; its {@code seq} is the event id clients see ({@code ftevent-<seq>}). */
@Entity
@Table(name = "job_event")
public class JobEventRecord {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "job_id", nullable = false)
    public String jobId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public String level;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public String message;

    /** JSON object text; null for plain messages. */
    public String data;

    /** The step of a metrics event. */
    public Integer step;
}
