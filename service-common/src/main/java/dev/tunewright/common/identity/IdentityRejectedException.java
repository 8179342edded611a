package dev.tunewright.common.identity;

/** Why a signed identity header was not accepted; the reason is safe to show to the caller. */
public class IdentityRejectedException extends RuntimeException {

    public enum Reason {
        MISSING("missing identity header"),
        MALFORMED("malformed identity header"),
        BAD_SIGNATURE("identity signature does not match"),
        EXPIRED("identity header expired"),
        NOT_YET_VALID("identity header issued in the future");

        private final String message;

        Reason(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }
    }

    private final Reason reason;

    public IdentityRejectedException(Reason reason) {
        super(reason.message());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
