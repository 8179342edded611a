package dev.tunewright.dataset.rest;

import dev.tunewright.common.rest.ApiError;
import dev.tunewright.common.rest.RequestGuard;
import dev.tunewright.dataset.config.DatasetConfig;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses an upload whose declared size is over the limit before a byte of its body is read: the check runs
 * on the router ahead of body handling (right after the identity check of {@link RequestGuard}), so a 5 GB mistake
 * costs a header, not 5 GB of disk. Multipart framing
 * is allowed a small margin over the file limit; a body without a length is refused by the upload itself as soon
 * as its file passes the limit.
 */
@ApplicationScoped
public class UploadSizeLimit {

    static final long MULTIPART_OVERHEAD_BYTES = 64 * 1024;

    void install(@Observes Router router, DatasetConfig config) {
        long limit = config.maxFileBytes() + MULTIPART_OVERHEAD_BYTES;
        router.route(HttpMethod.POST, "/v1/files").order(RequestGuard.ORDER + 1).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > limit) {
                ctx.response().setStatusCode(413).putHeader("Content-Type", "application/json")
                        .putHeader("Connection", "close")
                        .end(ApiError.of("invalid_request_error", "payload_too_large", "file", "upload is " + declared
                                + " bytes, the limit is " + config.maxFileBytes() + " bytes (tunewright.dataset.max-file-bytes)")
                                .toJson());
                return;
            }
            ctx.next();
        });
    }
}
