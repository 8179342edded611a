package dev.tunewright.dataset.validation;

/**
 * One thing wrong with an uploaded file, located precisely enough that a person can open the file and fix it.
 *
 * @param line  1-based line number in the uploaded file, 0 for problems of the file as a whole
 * @param field JSON path of the offending field (for example {@code messages[2].content}), or null
 * @param code  stable machine-readable kind, for example {@code invalid_json}
 */
public record Problem(long line, String field, String code, String message) {

    public static Problem ofFile(String code, String message) {
        return new Problem(0, null, code, message);
    }

    public static Problem at(long line, String field, String code, String message) {
        return new Problem(line, field, code, message);
    }

    /** The human form used in reports and errors: {@code line 12, field 'output': empty output}. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        if (line > 0) {
            text.append("line ").append(line);
        } else {
            text.append("file");
        }
        if (field != null) {
            text.append(", field '").append(field).append('\'');
        }
        return text.append(": ").append(message).toString();
    }
}
