package org.contactbatch.config;

/**
 * A setting with a value the application can't use, found while the settings are bound at start-up;
 * the command line prints it in one line ({@code the setting contact-batch.chunk-size is not valid: must be
 * at least 1 (it is 0)}). Thrown by {@link SettingChecks}.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String setting;
    private final String problem;

    /**
     * @param setting the setting as written, relative to the prefix of its settings class ({@code chunk-size})
     * @param problem what is wrong, with the value
     */
    public InvalidSettingException(String setting, String problem) {
        super(setting + " " + problem);
        this.setting = setting;
        this.problem = problem;
    }

    /** The setting as written, relative to the prefix of its settings class. */
    public String setting() {
        return setting;
    }

    /** What is wrong with it. */
    public String problem() {
        return problem;
    }
}
