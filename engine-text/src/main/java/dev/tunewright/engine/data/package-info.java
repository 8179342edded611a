/**
 * Training data to tokens for supervised fine-tuning. {@link dev.tunewright.engine.data.TrainingData#read} streams
 * a JSONL file (Alpaca, prompt/completion or chat rows) through an {@link dev.tunewright.engine.data.ExampleEncoder},
 * which renders each conversation with the base model's own chat template and labels only what the model should
 * learn to write; {@link dev.tunewright.engine.data.SequencePacker} optionally packs the examples. A trainer batches
 * {@link dev.tunewright.engine.data.PackedSequence}s (one per example when not packing: {@code PackedSequence.of}),
 * padded with {@code padTo}, feeding {@code positionIds} to the rotary embedding, {@code attentionMask()} to
 * attention and {@code labels} to a shifted cross-entropy that ignores {@code -100}.
 */
package dev.tunewright.engine.data;
