package dev.tunewright.dataset.rest;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The form {@code POST /v1/files} takes, as the OpenAPI document shows it. The endpoint reads the body as a stream
 * ({@link MultipartStream}), so nothing binds to this type; it only describes the fields.
 */
@Schema(name = "FileUploadForm")
public record UploadForm(
        @Schema(required = true, type = SchemaType.STRING, format = "binary", description = "the JSONL file")
        String file,
        @Schema(required = true, enumeration = "fine-tune")
        String purpose,
        @Schema(name = "skip_invalid", defaultValue = "false",
                description = "keep the valid rows of a file with invalid lines instead of rejecting it")
        Boolean skipInvalid) {
}
