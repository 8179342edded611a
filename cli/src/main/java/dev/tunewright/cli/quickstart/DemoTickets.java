package dev.tunewright.cli.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quickstart's demo dataset: customer support tickets labelled {@code billing}, {@code technical} or
 * {@code other}, in the Alpaca format (instruction, input, output). Generated from templates with a seeded random
 * source, so every run writes the same rows; the words come from a closed list ({@link #vocabulary()}), which lets
 * the tiny demo model's word-level tokenizer cover every one of them.
 */
public final class DemoTickets {

    public static final List<String> LABELS = List.of("billing", "technical", "other");
    public static final String INSTRUCTION = "Classify the support ticket as billing, technical or other.";
    /** The rows the quickstart writes, and its seed: a few hundred, enough for a 10% holdout of 10 per label. */
    public static final int ROWS = 300;
    public static final long SEED = 20240611L;

    /** One labelled ticket. */
    public record Ticket(String text, String label) {
    }

    /** How the whitespace pre-tokenizer of the demo tokenizer splits text: runs of word characters, runs of others. */
    static final Pattern WORDS = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    private static final Map<String, List<String>> SLOTS = slots();
    private static final Map<String, List<String>> TEMPLATES = templates();
    private static final List<String> OPENINGS = List.of("", "Hi,", "Hello,", "Hi team,", "Good morning,");
    private static final List<String> CLOSINGS = List.of("", "Thanks.", "Please help.", "Thank you!",
            "This is urgent.", "Best regards.");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DemoTickets() {
    }

    /** {@code count} distinct tickets, the labels in turn so every label has a third of them. */
    public static List<Ticket> generate(int count, long seed) {
        Random random = new Random(seed);
        Set<String> seen = new LinkedHashSet<>();
        List<Ticket> out = new ArrayList<>(count);
        for (int i = 0; out.size() < count; i++) {
            if (i > count * 50) {
                throw new IllegalStateException("the templates cannot make " + count + " distinct tickets");
            }
            String label = LABELS.get(out.size() % LABELS.size());
            String text = ticket(TEMPLATES.get(label), random);
            if (seen.add(text)) {
                out.add(new Ticket(text, label));
            }
        }
        return out;
    }

    /** The quickstart's dataset: {@value #ROWS} tickets from {@link #SEED} written to {@code file} as Alpaca JSONL. */
    public static Path write(Path file) {
        return writeAlpaca(file, generate(ROWS, SEED));
    }

    /**
     * Writes the tickets as Alpaca JSONL, one row a line, into a file beside {@code file} that is then renamed over it,
     * so {@code file} is never half-written.
     */
    public static Path writeAlpaca(Path file, List<Ticket> tickets) {
        StringBuilder text = new StringBuilder();
        Path partial = null;
        try {
            for (Ticket ticket : tickets) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("instruction", INSTRUCTION);
                row.put("input", ticket.text());
                row.put("output", ticket.label());
                text.append(JSON.writeValueAsString(row)).append('\n');
            }
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            partial = Files.createTempFile(parent, "." + file.getFileName(), ".partial");
            Files.writeString(partial, text, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // named .partial; harmless
                }
            }
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every word any ticket, the instruction or a label can hold, sorted: the demo tokenizer's vocabulary. */
    public static List<String> vocabulary() {
        Set<String> words = new TreeSet<>();
        List<String> texts = new ArrayList<>(List.of(INSTRUCTION));
        texts.addAll(LABELS);
        texts.addAll(OPENINGS);
        texts.addAll(CLOSINGS);
        SLOTS.values().forEach(texts::addAll);
        TEMPLATES.values().forEach(texts::addAll);
        for (String text : texts) {
            Matcher words1 = WORDS.matcher(text.replaceAll("\\{[a-z]+}", " "));
            while (words1.find()) {
                words.add(words1.group());
            }
        }
        return List.copyOf(words);
    }

    private static String ticket(List<String> templates, Random random) {
        String body = templates.get(random.nextInt(templates.size()));
        Matcher slot = Pattern.compile("\\{([a-z]+)}").matcher(body);
        StringBuilder filled = new StringBuilder();
        while (slot.find()) {
            List<String> values = SLOTS.get(slot.group(1));
            slot.appendReplacement(filled, Matcher.quoteReplacement(values.get(random.nextInt(values.size()))));
        }
        slot.appendTail(filled);
        String opening = OPENINGS.get(random.nextInt(OPENINGS.size()));
        String closing = CLOSINGS.get(random.nextInt(CLOSINGS.size()));
        return String.join(" ", List.of(opening, filled.toString(), closing)).strip();
    }

    private static Map<String, List<String>> slots() {
        Map<String, List<String>> slots = new LinkedHashMap<>();
        slots.put("plan", List.of("Basic", "Pro", "Team", "Family", "Business"));
        slots.put("month", List.of("January", "February", "March", "April", "May", "June", "July", "August"));
        slots.put("day", List.of("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"));
        slots.put("amount", List.of("12", "19", "29", "49", "99"));
        slots.put("feature", List.of("reports", "calendar", "dashboard", "settings", "search", "export", "sharing"));
        slots.put("device", List.of("iPhone", "Android phone", "laptop", "tablet", "Windows PC", "Mac"));
        slots.put("error", List.of("error 500", "a timeout", "a blank page", "an unknown error", "error 403"));
        slots.put("city", List.of("Berlin", "Austin", "Lisbon", "Toronto", "Nairobi", "Osaka"));
        slots.put("topic", List.of("your pricing page", "the new logo", "your newsletter", "the mobile app design",
                "your blog post"));
        return slots;
    }

    private static Map<String, List<String>> templates() {
        Map<String, List<String>> templates = new LinkedHashMap<>();
        templates.put("billing", List.of(
                "I was charged twice for my {plan} subscription in {month}.",
                "Can I get a refund for the {plan} plan? I cancelled on {day}.",
                "My invoice for {month} shows {amount} dollars instead of the usual price.",
                "Please update the credit card on my account, the old one expired.",
                "Why did my bill go up after the upgrade to {plan}?",
                "I need a receipt for {month} for my expense report.",
                "The payment for my {plan} plan failed but the money left my bank account.",
                "How do I switch from monthly to yearly billing on the {plan} plan?"));
        templates.put("technical", List.of(
                "The app crashes when I open the {feature} page on my {device}.",
                "I cannot log in since {day}, it says my password is wrong.",
                "Sync stopped working on my {device} after the last update.",
                "The {feature} page shows {error} every time I try.",
                "Everything loads very slowly on my {device} since {day}.",
                "I get {error} when I upload a file on my {device}.",
                "Notifications no longer arrive on my {device}.",
                "The {feature} button does nothing when I click it."));
        templates.put("other", List.of(
                "Do you have an office in {city}?",
                "I would like to give feedback about {topic}.",
                "Are you hiring for support roles in {city}?",
                "How do I contact your press team about {topic}?",
                "Can you send me information about your partner program?",
                "Thanks for the quick help last {day}!",
                "Is there a user meetup in {city} this {month}?",
                "Who designed {topic}? I love it."));
        return templates;
    }
}
