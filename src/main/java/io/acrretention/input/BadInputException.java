package io.acrretention.input;

/**
 * Input a person or a caller gave us (configuration, a policy pattern, a mode, a run request, a run
 * id, an image reference) that cannot be used. The message names what was wrong and where. Parsers
 * throw it, and the places that turn bad input into an error message or an exit code catch it, and
 * only it: an {@link IllegalArgumentException} from anywhere else is a bug and must not be reported
 * as the user's mistake.
 */
public class BadInputException extends IllegalArgumentException {
    public BadInputException(String message) {
        super(message);
    }
}
