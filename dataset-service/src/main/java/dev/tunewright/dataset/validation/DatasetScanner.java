package dev.tunewright.dataset.validation;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tunewright.engine.rows.RowContract;
import dev.tunewright.engine.rows.RowFormat;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One streaming pass over an uploaded JSONL file: decodes strictly, parses, checks the format line by line,
 * drops duplicates and records where each valid row lives. Memory grows with the number of rows (a few dozen
 * bytes each), never with the size of the file. Rows go through {@link FastRowParser} first; only a row it does
 * not vouch for is parsed into a tree and checked by {@link RowValidator}, which words every problem.
 */
public final class DatasetScanner {

    private final ValidationLimits limits;
    private final Dedup dedup;
    private final ObjectMapper mapper = RowContract.json();

    public DatasetScanner(ValidationLimits limits, Dedup dedup) {
        this.limits = limits;
        this.dedup = dedup;
    }

    public ScanResult scan(InputStream in) throws IOException {
        return new Pass(null).run(in);
    }

    /**
     * Scans and records every valid row in {@code index} instead of the result's row list, so that datasets need no
     * second scan and the upload holds each row once.
     */
    public ScanResult scan(InputStream in, RowIndexBuilder index) throws IOException {
        if (dedup != Dedup.NONE) {
            throw new IllegalStateException("a row index holds every valid row: build it from a scan without de-duplication");
        }
        return new Pass(index).run(in);
    }

    /** The mutable state of one scan, so that the scanner itself stays reusable and thread-safe. */
    private final class Pass {
        private final List<RowEntry> rows = new ArrayList<>();
        private final List<Problem> reported = new ArrayList<>();
        private final List<Long> skippedLines = new ArrayList<>();
        private final List<Long> duplicateLines = new ArrayList<>();
        private final LongSet seenRows = new LongSet(1 << 10);
        private final LabelCounter labels = new LabelCounter(LabelCounter.MAX_TRACKED);
        private final RowValidator validator = new RowValidator(limits);
        private final FastRowParser fast = new FastRowParser(limits.maxMessages());
        private final RowKeys.Hasher hasher = new RowKeys.Hasher();
        private final RowIndexBuilder index;
        private long problemCount;
        private long invalidLines;
        private long duplicates;
        private RowFormat format;
        private long formatLine;
        private long lines;
        private int kept;

        Pass(RowIndexBuilder index) {
            this.index = index;
        }

        ScanResult run(InputStream in) throws IOException {
            JsonlLineReader reader = new JsonlLineReader(in, limits.maxLineBytes());
            JsonlLineReader.Line line;
            boolean rowLimitReported = false;
            while ((line = reader.next()) != null) {
                List<Problem> problems = new ArrayList<>(2);
                ParsedRow row = parse(line, problems);
                if (!problems.isEmpty()) {
                    invalidLines++;
                    addBounded(skippedLines, line.number());
                    for (Problem problem : problems) {
                        problemCount++;
                        if (reported.size() < limits.maxReportedProblems()) {
                            reported.add(problem);
                        }
                    }
                    continue;
                }
                if (row == null) {
                    continue; // blank line
                }
                if (kept >= limits.maxRows()) {
                    if (!rowLimitReported) {
                        problemCount++;
                        reported.add(Problem.at(line.number(), null, "too_many_rows",
                                "the file has more than " + limits.maxRows() + " rows, the configured limit"));
                        rowLimitReported = true;
                        if (index != null) {
                            index.rowLimitReached();
                        }
                    }
                    continue;
                }
                keep(line, row);
            }
            if (kept == 0 && problemCount == 0) {
                problemCount++;
                reported.add(Problem.ofFile("empty_file", "the file has no rows"));
            }
            return new ScanResult(format, lines, reader.position(),
                    List.copyOf(rows), kept, List.copyOf(reported), problemCount, invalidLines, List.copyOf(skippedLines),
                    duplicates, List.copyOf(duplicateLines), labels.overflowed() ? List.of() : labels.labels(),
                    labels.overflowed());
        }

        private ParsedRow parse(JsonlLineReader.Line line, List<Problem> problems) {
            lines = line.number();
            if (line.tooLong()) {
                problems.add(Problem.at(line.number(), null, "line_too_long",
                        "line is " + line.length() + " bytes, the limit is " + limits.maxLineBytes()));
                return null;
            }
            byte[] data = line.data();
            int invalid = Utf8.firstInvalid(data, line.from(), line.to());
            if (invalid >= 0) {
                problems.add(Problem.at(line.number(), null, "invalid_utf8",
                        "invalid UTF-8 at byte " + (invalid + 1) + " of the line"));
                return null;
            }
            if (isBlank(data, line.from(), line.to())) {
                return null;
            }
            ParsedRow valid = fast.parse(data, line.from(), line.size(), format);
            if (valid != null) {
                if (format == null) {
                    format = valid.format();
                    formatLine = line.number();
                }
                return valid;
            }
            JsonNode node;
            try {
                node = mapper.readTree(data, line.from(), line.size());
            } catch (JsonProcessingException e) {
                // Errors of Jackson's stream limits (nesting, number and key length) carry no location.
                JsonLocation where = e.getLocation();
                problems.add(Problem.at(line.number(), null, "invalid_json", "invalid JSON: " + e.getOriginalMessage()
                        + (where == null || where.getColumnNr() < 1 ? "" : " (column " + where.getColumnNr() + ")")));
                return null;
            } catch (IOException e) {
                problems.add(Problem.at(line.number(), null, "invalid_json", "invalid JSON: " + e.getMessage()));
                return null;
            }
            RowFormat detected = node.isObject() ? RowFormat.detect(node) : null;
            if (detected == null) {
                return validator.validate(line.number(), node, null, problems); // the contract says what it is not
            }
            if (format == null) {
                format = detected;
                formatLine = line.number();
            } else if (detected != format) {
                problems.add(Problem.at(line.number(), null, "mixed_formats", "row is in the " + detected.wireName()
                        + " format but the file is " + format.wireName() + " (decided by line " + formatLine + ")"));
                return null;
            }
            return validator.validate(line.number(), node, format, problems);
        }

        private void keep(JsonlLineReader.Line line, ParsedRow row) {
            RowKeys keys = hasher.keys(row.input(), row.output());
            if (dedup != Dedup.NONE) {
                if (!seenRows.add(dedup == Dedup.NORMALIZED ? keys.normalized() : keys.exact())) {
                    duplicates++;
                    addBounded(duplicateLines, line.number());
                    return;
                }
            }
            int labelId = labels.add(keys.output(), row.output());
            kept++;
            if (index == null) {
                rows.add(new RowEntry(line.number(), line.offset(), line.length(), keys.input(), labelId, row.characters()));
            } else {
                index.add(line.number(), line.offset(), (int) line.length(), row.characters(), keys, row.output());
            }
        }

        private void addBounded(List<Long> list, long value) {
            if (list.size() < limits.maxReportedProblems()) {
                list.add(value);
            }
        }

        private boolean isBlank(byte[] data, int from, int to) {
            for (int i = from; i < to; i++) {
                byte b = data[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }

}
