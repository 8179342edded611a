/**
 * The JSONL row contract, once for the whole platform: the formats ({@link dev.tunewright.engine.rows.RowFormat}),
 * their fields, roles and weights ({@link dev.tunewright.engine.rows.RowContract}), and the conversation a valid
 * row is ({@link dev.tunewright.engine.rows.Row}). Text only: no DJL or torch here, because the dataset service
 * validates uploads with it and runs without the PyTorch engine.
 */
package dev.tunewright.engine.rows;
