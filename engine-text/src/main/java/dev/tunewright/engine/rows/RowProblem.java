package dev.tunewright.engine.rows;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One way a row breaks the contract.
 *
 * @param field JSON path of the offending field ({@code messages[2].content}), null for the row as a whole
 * @param code  stable machine-readable kind ({@code missing_field}, {@code unknown_role}, ...)
 */
public record RowProblem(String field, String code, String message) {

    /** {@code field: message}, or the message alone for the whole row. */
    public String describe() {
        return field == null ? message : field + ": " + message;
    }

    /** Several problems of one row on one line. */
    public static String describe(List<RowProblem> problems) {
        return problems.stream().map(RowProblem::describe).collect(Collectors.joining("; "));
    }
}
