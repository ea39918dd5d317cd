package org.contactbatch.config;

/**
 * The checks the settings records make in their constructors, each naming the setting as it is written.
 * Plain checks, where Bean Validation loaded some 400 classes and built its metadata at every command's
 * start for the same few rules.
 */
public final class SettingChecks {

    private SettingChecks() {
    }

    public static void required(String setting, Object value) {
        if (value == null) {
            throw new InvalidSettingException(setting, "must be set");
        }
    }

    public static void notBlank(String setting, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidSettingException(setting, "must not be empty");
        }
    }

    public static void atLeast(String setting, long value, long min) {
        if (value < min) {
            throw new InvalidSettingException(setting, "must be at least " + min + " (it is " + value + ")");
        }
    }

    public static void between(String setting, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidSettingException(setting,
                    "must be between " + min + " and " + max + " (it is " + value + ")");
        }
    }
}
