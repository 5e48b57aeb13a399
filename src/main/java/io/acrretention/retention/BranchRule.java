package io.acrretention.retention;

import java.util.regex.Pattern;

/**
 * Keep the {@code keep} newest tags whose branch fully matches {@code branch}: counted together, or
 * for every distinct matching branch when {@code each} is set.
 */
public record BranchRule(Pattern branch, int keep, boolean each) {
    public boolean matches(String branchName) {
        return branch.matcher(branchName).matches();
    }
}
