package dev.tunewright.engine.data;

import java.io.IOException;

/**
 * A training file has examples that cannot be trained on. It carries the whole report so a caller can show
 * every bad line at once instead of making the team fix them one run at a time.
 */
public class DataException extends IOException {

    private final transient DataReport report;

    public DataException(DataReport report) {
        super(report.errorSummary());
        this.report = report;
    }

    public DataReport report() {
        return report;
    }
}
