package dev.tunewright.dataset.rest;

import dev.tunewright.dataset.repository.Dataset;
import dev.tunewright.dataset.service.DatasetOptions;
import dev.tunewright.dataset.service.DatasetStatistics;

/** A dataset version: its options, statistics and the two splits the trainer and evaluator read. */
public record DatasetView(
        String id,
        String object,
        long createdAt,
        String fileId,
        String validationFileId,
        String format,
        DatasetOptions options,
        DatasetStatistics stats,
        Splits splits) {

    /** Where each split can be downloaded, with its size in rows. */
    public record Splits(Split train, Split validation) {
    }

    public record Split(long rows, String url) {
    }

    static DatasetView of(Dataset dataset, DatasetOptions options, DatasetStatistics stats) {
        String base = "/v1/datasets/" + dataset.id + "/splits/";
        return new DatasetView(dataset.id, "dataset", dataset.createdAt.getEpochSecond(), dataset.fileId,
                dataset.validationFileId, dataset.format, options, stats,
                new Splits(new Split(dataset.trainRows, base + "train"), new Split(dataset.validationRows, base + "validation")));
    }
}
