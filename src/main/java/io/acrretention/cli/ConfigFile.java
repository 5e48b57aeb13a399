package io.acrretention.cli;

import io.acrretention.config.ConfigException;
import io.acrretention.config.ConfigParser;
import io.acrretention.config.RetentionConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The {@code --config} file of a command: read and validated, or every problem said on stderr. */
final class ConfigFile {
    private ConfigFile() {}

    /**
     * Empty, after saying why on {@code err}, when the file cannot be read or does not validate.
     */
    static Optional<RetentionConfig> read(Path config, PrintWriter err) {
        try {
            return Optional.of(ConfigParser.parse(Files.readString(config), config.toString()));
        } catch (IOException e) {
            err.println("error: cannot read --config " + config + ": " + e.getMessage());
        } catch (ConfigException e) {
            err.println("error: " + e.getMessage());
        }
        return Optional.empty();
    }
}
