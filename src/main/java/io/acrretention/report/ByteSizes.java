package io.acrretention.report;

import java.util.Locale;

/** Sizes as people read them, the same on the page, in the summary table and in restore reports. */
public final class ByteSizes {
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB"};

    private ByteSizes() {}

    /** Binary units, one decimal: {@code 171.7 MiB}; under a KiB in bytes. */
    public static String human(long b) {
        if (b < 1024) {
            return b + " B";
        }
        double v = b;
        int i = -1;
        while (v >= 1024 && i < UNITS.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[i]);
    }
}
