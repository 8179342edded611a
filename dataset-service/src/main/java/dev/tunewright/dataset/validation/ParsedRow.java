package dev.tunewright.dataset.validation;

/**
 * What the splitter and the statistics need of a valid row: the prompt side (for leakage and
 * de-duplication), the response (for label balance) and its size. The JSON itself stays in the stored file.
 *
 * @param input  everything the model is given: instruction and input, prompt, or the conversation before the
 *               last assistant turn
 * @param output the trained response: output, completion, or the last assistant turn
 */
public record ParsedRow(DatasetFormat format, String input, String output, int characters) {
}
