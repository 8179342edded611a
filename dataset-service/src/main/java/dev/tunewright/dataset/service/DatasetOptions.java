package dev.tunewright.dataset.service;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.tunewright.common.rest.ApiException;
import dev.tunewright.dataset.config.DatasetConfig;
import dev.tunewright.dataset.validation.Dedup;
import java.util.Locale;

/**
 * The effective options of a dataset version, every default filled in. Their JSON (fixed property order) is
 * part of the dataset id, so the same file with the same options always names the same dataset.
 *
 * @param validationFraction null when an explicit validation file is used
 * @param stratifyBy         {@code output}, {@code none} or {@code auto}
 */
@JsonPropertyOrder(alphabetic = true)
public record DatasetOptions(
        String fileId,
        String validationFileId,
        Double validationFraction,
        long seed,
        String stratifyBy,
        String dedup,
        String baseModel,
        Integer maxSeqLength) {

    public static final long DEFAULT_SEED = 42;

    /** The request as the API receives it; anything may be null. */
    public record Request(String fileId, String validationFileId, Double validationFraction, Long seed,
            String stratifyBy, String dedup, String baseModel, Integer maxSeqLength) {
    }

    public static DatasetOptions resolve(Request request, DatasetConfig config) {
        if (request == null || request.fileId() == null || request.fileId().isBlank()) {
            throw ApiException.badRequest("missing_field", "file_id", "file_id is required");
        }
        Double fraction = request.validationFraction();
        if (request.validationFileId() != null && fraction != null) {
            throw ApiException.badRequest("conflicting_options", "validation_fraction",
                    "give either validation_file_id or validation_fraction, not both");
        }
        if (request.validationFileId() == null) {
            fraction = fraction == null ? config.defaultValidationFraction() : fraction;
            if (!(fraction >= config.minValidationFraction() && fraction <= config.maxValidationFraction())) {
                throw ApiException.badRequest("invalid_value", "validation_fraction", "validation_fraction must be between "
                        + config.minValidationFraction() + " and " + config.maxValidationFraction() + ", was " + fraction);
            }
        }
        String stratify = request.stratifyBy() == null ? "auto" : request.stratifyBy().toLowerCase(Locale.ROOT);
        if (!stratify.equals("auto") && !stratify.equals("output") && !stratify.equals("none")) {
            throw ApiException.badRequest("invalid_value", "stratify_by",
                    "stratify_by must be output, none or auto, was '" + request.stratifyBy() + "'");
        }
        String dedup;
        try {
            dedup = Dedup.parse(request.dedup() == null ? "exact" : request.dedup()).name().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_value", "dedup", e.getMessage());
        }
        if (request.maxSeqLength() != null && request.maxSeqLength() < 1) {
            throw ApiException.badRequest("invalid_value", "max_seq_length", "max_seq_length must be positive");
        }
        return new DatasetOptions(request.fileId(), request.validationFileId(), fraction,
                request.seed() == null ? DEFAULT_SEED : request.seed(), stratify, dedup, request.baseModel(),
                request.maxSeqLength());
    }

    public Dedup dedupMode() {
        return Dedup.parse(dedup);
    }
}
