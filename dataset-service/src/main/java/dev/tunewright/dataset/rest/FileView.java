package dev.tunewright.dataset.rest;

import dev.tunewright.dataset.repository.DatasetFile;
import dev.tunewright.dataset.repository.RejectedUpload;
import dev.tunewright.dataset.service.ValidationReport;

/**
 * OpenAI's file object ({@code id, object, bytes, created_at, filename, purpose, status, status_details}) extended
 * with what validation found, so a client built for OpenAI's API works unchanged and a person sees the summary.
 */
public record FileView(
        String id,
        String object,
        long bytes,
        long createdAt,
        String filename,
        String purpose,
        String status,
        String statusDetails,
        Summary dataset) {

    /** Validation summary of the file. */
    public record Summary(String format, long lines, long rows, long skippedLines, long problems) {
    }

    static FileView of(DatasetFile file, ValidationReport report) {
        return new FileView(file.id, "file", file.bytes, file.createdAt.getEpochSecond(), file.filename, file.purpose,
                "processed", report.summary() == null ? null : "skipped " + file.skippedLines + " invalid line(s): "
                        + report.summary(),
                new Summary(file.format, file.lines, file.validRows, file.skippedLines, report.problemCount()));
    }

    static FileView rejected(RejectedUpload upload, ValidationReport report) {
        return new FileView(upload.id, "file", upload.bytes, upload.createdAt.getEpochSecond(), upload.filename,
                "fine-tune", "error", report.summary(),
                new Summary(null, report.lines(), 0, report.skippedLineCount(), report.problemCount()));
    }
}
