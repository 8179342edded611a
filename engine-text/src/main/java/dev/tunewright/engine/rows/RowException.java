package dev.tunewright.engine.rows;

import java.util.List;

/** A row breaks the contract; the message lists every problem with its field. */
public class RowException extends IllegalArgumentException {

    private final transient List<RowProblem> problems;

    public RowException(List<RowProblem> problems) {
        super(RowProblem.describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<RowProblem> problems() {
        return problems;
    }
}
