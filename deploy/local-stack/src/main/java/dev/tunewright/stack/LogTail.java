package dev.tunewright.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The end of a log file, for error messages that must show why a process died without sending the user digging. */
public final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    /** The last lines, each on its own indented line after a line break; empty when the file is missing or empty. */
    public static String lastLines(Path file, int count) {
        List<String> lines = read(file, count);
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append("\n  ").append(line);
        }
        return text.toString();
    }

    /** Reads only the file's end, so a large log costs no more than a small one. */
    public static List<String> read(Path file, int count) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long start = Math.max(0, length - MAX_BYTES);
            byte[] bytes = new byte[(int) (length - start)];
            in.seek(start);
            in.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
            List<String> lines = new ArrayList<>();
            int first = start > 0 ? 1 : 0;
            for (int i = Math.max(first, all.length - count); i < all.length; i++) {
                if (!(i == all.length - 1 && all[i].isEmpty())) {
                    lines.add(all[i]);
                }
            }
            return lines;
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }
}
