package dev.tunewright.engine.run;

/**
 * A setting of a run is wrong; {@link #setting} names it, so a service answers with the parameter at fault and the
 * command line with the option. The message starts with the setting's key.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final Setting setting;

    public InvalidSettingException(Setting setting, String message) {
        this(setting, message, null);
    }

    public InvalidSettingException(Setting setting, String message, Throwable cause) {
        super(setting.key() + ": " + message, cause);
        this.setting = setting;
    }

    public Setting setting() {
        return setting;
    }

    static void require(boolean ok, Setting setting, String message) {
        if (!ok) {
            throw new InvalidSettingException(setting, message);
        }
    }
}
