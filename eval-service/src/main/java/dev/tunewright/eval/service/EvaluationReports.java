package dev.tunewright.eval.service;

import dev.tunewright.common.artifact.ArtifactStore;
import dev.tunewright.eval.report.LossCurve;
import dev.tunewright.eval.report.ReportPage;
import dev.tunewright.eval.repository.Evaluation;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Assembles an evaluation's report page: its result, the job's loss curves from the result file, the worst examples. */
@ApplicationScoped
public class EvaluationReports {

    /** Examples the report lists. */
    static final int WORST = 10;
    /** Largest result file read for the loss curves (a few hundred thousand steps). */
    static final int MAX_RESULT_FILE_BYTES = 32 << 20;

    private final ArtifactStore store;
    private final EvaluationExamples examples;

    public EvaluationReports(ArtifactStore store, EvaluationExamples examples) {
        this.store = store;
        this.examples = examples;
    }

    public String render(Evaluation evaluation) {
        EvaluationResult result = EvaluationService.read(evaluation.result, EvaluationResult.class);
        LossCurve curve = null;
        String note;
        if (evaluation.resultFileArtifactId == null) {
            note = "The job published no per-step metrics (no result file), so there is no loss curve to show.";
        } else if (!store.exists(evaluation.resultFileArtifactId)) {
            note = "The job's result file (" + evaluation.resultFileArtifactId + ") is not in the artifact store.";
        } else {
            try (InputStream in = store.open(evaluation.resultFileArtifactId)) {
                curve = LossCurve.parse(new String(in.readNBytes(MAX_RESULT_FILE_BYTES), StandardCharsets.UTF_8));
                note = null;
            } catch (IOException e) {
                note = "The job's result file could not be read as per-step metrics: " + e.getMessage();
            }
        }
        return ReportPage.render(evaluation, result, curve, note, examples.worst(evaluation, WORST));
    }
}
