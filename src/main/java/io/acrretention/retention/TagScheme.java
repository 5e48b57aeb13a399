package io.acrretention.retention;

import io.acrretention.input.BadInputException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a tag names its branch: a regex with a named group {@code branch}. */
public final class TagScheme {
    public static final String DEFAULT = "^\\d+\\.\\d+\\.\\d+-[0-9a-f]{7,40}-(?<branch>.+)$";

    private final Pattern pattern;

    private TagScheme(Pattern pattern) {
        this.pattern = pattern;
    }

    /**
     * @throws java.util.regex.PatternSyntaxException when the regex is invalid
     * @throws BadInputException when it has no {@code branch} group
     */
    public static TagScheme of(String regex) {
        Pattern p = Pattern.compile(regex);
        if (!p.pattern().contains("(?<branch>")) {
            throw new BadInputException("needs a named group (?<branch>...)");
        }
        return new TagScheme(p);
    }

    public Optional<String> branchOf(String tag) {
        Matcher m = pattern.matcher(tag);
        return m.find() ? Optional.ofNullable(m.group("branch")) : Optional.empty();
    }

    public String regex() {
        return pattern.pattern();
    }
}
