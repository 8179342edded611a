package dev.tunewright.contracts;

/**
 * A topic as the platform creates it: the record key is always the subject id of its events,
 * so all events about one subject stay ordered on one partition.
 */
public record TopicSpec(String name, int partitions, String key, String producer, String consumers) {
}
