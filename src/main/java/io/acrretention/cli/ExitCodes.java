package io.acrretention.cli;

/** The command line's exit codes (docs/reports.md, "Exit codes"). */
public final class ExitCodes {
    public static final int DONE = 0;
    public static final int UNEXPECTED = 1;
    public static final int BAD_INPUT = 2;
    public static final int WITHHELD = 3;
    public static final int DELETIONS_FAILED = 4;

    private ExitCodes() {}
}
