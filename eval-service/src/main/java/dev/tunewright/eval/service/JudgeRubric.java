package dev.tunewright.eval.service;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fixed rubric the reference model judges free-text answers by. Versioned: a changed wording is a new version,
 * so judge scores of two evaluations are comparable exactly when they name the same one.
 */
public final class JudgeRubric {

    public static final String VERSION = "tunewright-judge-v1";

    static final String SYSTEM = """
            You grade an answer to a task against a reference answer (rubric %s).
            5: says everything the reference says that matters, and nothing wrong.
            4: minor omissions or wording differences; nothing wrong.
            3: partly right: a substantial part is missing or one claim is wrong.
            2: mostly wrong or off-topic, with some relevant content.
            1: wrong, empty, or unrelated.
            Judge content, not style or length. Reply with the single digit of the grade and nothing else."""
            .formatted(VERSION);

    private static final Pattern GRADE = Pattern.compile("[1-5]");

    private JudgeRubric() {
    }

    /** The judge conversation for one answer. */
    public static List<Map<String, Object>> messages(List<Map<String, Object>> prompt, String reference, String answer) {
        StringBuilder task = new StringBuilder();
        for (Map<String, Object> message : prompt) {
            task.append(message.get("role")).append(": ").append(message.get("content")).append('\n');
        }
        String user = "Task:\n" + task + "\nReference answer:\n" + reference + "\n\nAnswer to grade:\n" + answer;
        return List.of(Map.of("role", "system", "content", SYSTEM), Map.of("role", "user", "content", user));
    }

    /** The grade as a score in [0, 1] ((grade - 1) / 4), or null when the reply holds no grade. */
    public static Double score(String reply) {
        Matcher m = GRADE.matcher(reply == null ? "" : reply.strip());
        return m.find() ? (Integer.parseInt(m.group()) - 1) / 4.0 : null;
    }
}
