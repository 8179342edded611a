package dev.tunewright.eval.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-step metrics of a job's result file (OpenAI's CSV: {@code step,train_loss,...,valid_loss,...}) as
 * columns. Tolerant: unknown columns are kept, empty cells (a step without validation) are null, and a file that
 * is not such a CSV gives an error message for the page instead of failing the report.
 */
public record LossCurve(Map<String, List<Double>> columns) {

    public static LossCurve parse(String csv) throws IOException {
        try (BufferedReader in = new BufferedReader(new StringReader(csv))) {
            String header = in.readLine();
            if (header == null || !header.strip().startsWith("step")) {
                throw new IOException("the result file does not start with a 'step,...' header");
            }
            List<String> names = Arrays.stream(header.strip().split(",")).map(String::strip).toList();
            Map<String, List<Double>> columns = new LinkedHashMap<>();
            names.forEach(n -> columns.put(n, new ArrayList<>()));
            int lineNo = 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                for (int i = 0; i < names.size(); i++) {
                    String cell = i < cells.length ? cells[i].strip() : "";
                    try {
                        columns.get(names.get(i)).add(cell.isEmpty() ? null : Double.valueOf(cell));
                    } catch (NumberFormatException e) {
                        throw new IOException("result file line " + lineNo + ", column " + names.get(i) + ": '" + cell
                                + "' is not a number");
                    }
                }
            }
            return new LossCurve(columns);
        }
    }
}
