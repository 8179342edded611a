package dev.tunewright.trainer.service;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random ids in OpenAI's style: a prefix and 24 hex digits ({@code ftjob-…}, {@code ftckpt-…}). */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String random(String prefix) {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return prefix + "-" + HexFormat.of().formatHex(bytes);
    }
}
