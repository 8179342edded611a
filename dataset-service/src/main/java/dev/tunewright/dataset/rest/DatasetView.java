package dev.tunewright.dataset.rest;

import dev.tunewright.dataset.repository.Dataset;
import dev.tunewright.dataset.service.DatasetOptions;
import dev.tunewright.dataset.service.DatasetStatistics;
import java.util.List;

/**
 * A dataset version: its options, statistics, the two splits the trainer and evaluator read, and the jobs
 * training on it right now (its file cannot be deleted while there are any).
 */
public record DatasetView(
        String id,
        String object,
        long createdAt,
        String fileId,
        String validationFileId,
        String format,
        DatasetOptions options,
        DatasetStatistics stats,
        Splits splits,
        List<String> activeJobs) {

    /** Where each split can be downloaded, with its size in rows. */
    public record Splits(Split train, Split validation) {
    }

    public record Split(long rows, String url) {
    }

    static DatasetView of(Dataset dataset, DatasetOptions options, DatasetStatistics stats, List<String> activeJobs) {
        String base = "/v1/datasets/" + dataset.id + "/splits/";
        return new DatasetView(dataset.id, "dataset", dataset.createdAt.getEpochSecond(), dataset.fileId,
                dataset.validationFileId, dataset.format, options, stats,
                new Splits(new Split(dataset.trainRows, base + "train"), new Split(dataset.validationRows, base + "validation")), activeJobs);
    }
}
