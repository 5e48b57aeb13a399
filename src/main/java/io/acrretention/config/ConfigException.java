package io.acrretention.config;

import io.acrretention.input.BadInputException;
import java.util.List;

/**
 * Configuration that cannot be used, with every problem found, each naming its JSON path and value.
 */
public final class ConfigException extends BadInputException {
    private final List<String> problems;

    public ConfigException(String source, List<String> problems) {
        super(
                "invalid configuration"
                        + (source == null ? "" : " in " + source)
                        + ":\n  - "
                        + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
