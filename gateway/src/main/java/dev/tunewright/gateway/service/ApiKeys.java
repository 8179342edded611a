package dev.tunewright.gateway.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The API key format: {@code twk_} and 40 base62 characters (about 238 bits) from {@link SecureRandom}. Keys are
 * random enough that a plain SHA-256 is a safe stored form; a slow password hash would only slow every request.
 */
public final class ApiKeys {

    public static final String PREFIX = "twk_";
    static final int RANDOM_LENGTH = 40;
    /** Characters of a key that listings show: the fixed prefix and the first 8 random ones. */
    static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 8;

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final Pattern FORMAT = Pattern.compile(PREFIX + "[0-9A-Za-z]{" + RANDOM_LENGTH + "}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate() {
        char[] key = new char[PREFIX.length() + RANDOM_LENGTH];
        PREFIX.getChars(0, PREFIX.length(), key, 0);
        for (int i = PREFIX.length(); i < key.length; i++) {
            key[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(key);
    }

    /** Cheap syntactic check, so garbage never costs a database lookup. */
    public static boolean looksLikeKey(String candidate) {
        return candidate != null && FORMAT.matcher(candidate).matches();
    }

    public static String displayPrefix(String key) {
        return key.substring(0, DISPLAY_PREFIX_LENGTH);
    }

    /** Lower-case hex SHA-256 of the key, the only form that is stored and compared. */
    public static String hash(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The key of an {@code Authorization: Bearer <key>} header, or null. */
    public static String fromAuthorization(String header) {
        if (header == null) {
            return null;
        }
        String value = header.trim();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return value.substring(7).trim();
    }
}
