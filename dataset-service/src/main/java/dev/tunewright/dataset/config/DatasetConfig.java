package dev.tunewright.dataset.config;

import dev.tunewright.dataset.validation.ValidationLimits;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;

/** Limits and defaults of dataset ingestion; every limit is explicit so that raising one is a decision. */
@ConfigMapping(prefix = "tunewright.dataset")
public interface DatasetConfig {

    /** Largest accepted upload in bytes; larger ones get 413 before their body is read (default 512 MiB). */
    @WithName("max-file-bytes")
    @WithDefault("536870912")
    long maxFileBytes();

    /** Longest accepted file name in characters, after directories are removed (default 255, at most 512). */
    @WithName("max-filename-chars")
    @WithDefault("255")
    int maxFilenameChars();

    /** Longest accepted JSONL line in bytes (default 1 MiB). */
    @WithName("max-line-bytes")
    @WithDefault("1048576")
    int maxLineBytes();

    /** Most rows in one file (default 1,000,000). */
    @WithName("max-rows")
    @WithDefault("1000000")
    long maxRows();

    /** Problems reported with their line numbers; all are counted (default 1,000). */
    @WithName("max-reported-problems")
    @WithDefault("1000")
    int maxReportedProblems();

    /** Most messages in one chat conversation (default 256). */
    @WithName("max-messages")
    @WithDefault("256")
    int maxMessages();

    /** Validation share when a dataset names none (default 0.1). */
    @WithName("default-validation-fraction")
    @WithDefault("0.1")
    double defaultValidationFraction();

    /** Smallest validation share accepted (default 0.05). */
    @WithName("min-validation-fraction")
    @WithDefault("0.05")
    double minValidationFraction();

    /** Largest validation share accepted (default 0.5). */
    @WithName("max-validation-fraction")
    @WithDefault("0.5")
    double maxValidationFraction();

    /**
     * How long a staging file may go unwritten before it counts as left behind by a crash and is removed (default
     * 15 min). The staging area is shared by every service, so this is measured from the file's last write.
     */
    @WithName("staging-grace")
    @WithDefault("15m")
    Duration stagingGrace();

    /**
     * How long an artifact this service stored may go without anything pointing at it before it is collected
     * (default 1 h); longer than any upload or dataset creation takes to record what it published.
     */
    @WithName("orphan-grace")
    @WithDefault("1h")
    Duration orphanGrace();

    /** How often staging files and orphaned artifacts are collected, besides at start-up (default 10 min). */
    @WithName("collect-every")
    @WithDefault("10m")
    Duration collectEvery();

    default ValidationLimits limits() {
        return new ValidationLimits(maxLineBytes(), maxRows(), maxReportedProblems(), maxMessages());
    }
}
