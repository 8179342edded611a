package dev.tunewright.stack;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Sends the embedded broker's logging to a file. Kafka logs through SLF4J; whatever SLF4J is bound to in the
 * hosting JVM (java.util.logging in the launcher, the JBoss LogManager in Quarkus tests) is reachable through
 * the java.util.logging API, so configuring it here works in both without touching the host's own logging.
 */
final class LogRedirect {

    static final List<String> KAFKA_LOGGERS = List.of("kafka", "org.apache.kafka", "state.change.logger");

    /** java.util.logging keeps loggers weakly; holding them here keeps their configuration alive. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();
    private static Handler handler;
    private static Path target;

    private LogRedirect() {
    }

    static synchronized void kafkaTo(Path file) {
        Path normalized = file.toAbsolutePath().normalize();
        if (normalized.equals(target)) {
            return;
        }
        Handler next = openHandler(normalized);
        for (String name : KAFKA_LOGGERS) {
            Logger logger = Logger.getLogger(name);
            if (handler != null) {
                logger.removeHandler(handler);
            }
            logger.setLevel(Level.INFO);
            logger.setUseParentHandlers(false);
            logger.addHandler(next);
            if (!CONFIGURED.contains(logger)) {
                CONFIGURED.add(logger);
            }
        }
        if (handler != null) {
            handler.close();
        }
        handler = next;
        target = normalized;
    }

    private static Handler openHandler(Path file) {
        try {
            Files.createDirectories(file.getParent());
            OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Handler fileHandler = new StreamHandler(out, new LineFormatter()) {
                @Override
                public synchronized void publish(LogRecord record) {
                    super.publish(record);
                    flush();
                }
            };
            fileHandler.setLevel(Level.ALL);
            fileHandler.setEncoding("UTF-8");
            return fileHandler;
        } catch (IOException e) {
            throw new StackException("cannot write the log file " + file + ": " + e.getMessage(), e);
        }
    }

    private static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder()
                    .append(Instant.ofEpochMilli(record.getMillis())).append(' ')
                    .append(record.getLevel().getName()).append(' ')
                    .append(record.getLoggerName()).append(" - ")
                    .append(formatMessage(record)).append('\n');
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append(trace);
            }
            return line.toString();
        }
    }
}
