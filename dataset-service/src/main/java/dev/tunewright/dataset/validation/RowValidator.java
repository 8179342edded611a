package dev.tunewright.dataset.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.engine.rows.Row;
import dev.tunewright.engine.rows.RowContract;
import dev.tunewright.engine.rows.RowFormat;
import dev.tunewright.engine.rows.RowProblem;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks one JSON object against the platform's row contract ({@link RowContract}, the rules training reads
 * rows by), so that an accepted file never fails in training for its shape; each problem gets the line.
 */
final class RowValidator {

    private final ValidationLimits limits;

    RowValidator(ValidationLimits limits) {
        this.limits = limits;
    }

    /**
     * The row's content, or null with the reasons added to {@code problems}.
     *
     * @param format the file's format, or null to read the row as the format it shows (a non-object or a row of no
     *               format is then a problem)
     */
    ParsedRow validate(long line, JsonNode row, RowFormat format, List<Problem> problems) {
        List<RowProblem> found = new ArrayList<>(2);
        Row parsed = format == null ? RowContract.check(row, limits.maxMessages(), found)
                : RowContract.check(row, format, limits.maxMessages(), found);
        found.forEach(p -> problems.add(Problem.at(line, p.field(), p.code(), p.message())));
        return parsed == null ? null : ParsedRow.of(parsed);
    }
}
