package dev.tunewright.dataset.validation;

/**
 * The few numbers kept per valid row (about 50 bytes), so that a file of a million rows is split and
 * summarised without holding its text in memory.
 *
 * @param inputHash 64 bits of SHA-256 of the normalised input: rows sharing it go to the same split
 * @param labelId   index of the row's response among the distinct responses, or -1 when they are too many
 */
public record RowEntry(long line, long offset, long length, long inputHash, int labelId, int characters) {
}
