package io.acrretention.cleanup;

import io.acrretention.retention.Reason;
import java.util.List;

/**
 * Quarantine in numbers: manifests quarantined, deleted after their grace (expired), released
 * (tagged or used again) and still held, each with the manifests' bytes. In a dry run, what would
 * happen.
 */
public record QuarantineTotals(
        long quarantined,
        long quarantinedBytes,
        long expired,
        long expiredBytes,
        long released,
        long releasedBytes,
        long held,
        long heldBytes) {
    public static final QuarantineTotals NONE = new QuarantineTotals(0, 0, 0, 0, 0, 0, 0, 0);

    public static QuarantineTotals of(List<ReportEntry> entries) {
        QuarantineTotals t = NONE;
        for (ReportEntry e : entries) {
            t = t.plus(of(e));
        }
        return t;
    }

    private static QuarantineTotals of(ReportEntry e) {
        long b = e.sizeBytes();
        if (e.result() == Result.QUARANTINED) {
            return new QuarantineTotals(1, b, 0, 0, 0, 0, 0, 0);
        }
        if (e.reasons().contains(Reason.QUARANTINE_EXPIRED)
                && (e.result() == Result.DELETED || e.result() == Result.PLANNED)) {
            return new QuarantineTotals(0, 0, 1, b, 0, 0, 0, 0);
        }
        if (e.reasons().contains(Reason.RELEASED)) {
            return new QuarantineTotals(0, 0, 0, 0, 1, b, 0, 0);
        }
        if (e.reasons().contains(Reason.QUARANTINED)) {
            return new QuarantineTotals(0, 0, 0, 0, 0, 0, 1, b);
        }
        return NONE;
    }

    public QuarantineTotals plus(QuarantineTotals o) {
        return o == null
                ? this
                : new QuarantineTotals(
                        quarantined + o.quarantined,
                        quarantinedBytes + o.quarantinedBytes,
                        expired + o.expired,
                        expiredBytes + o.expiredBytes,
                        released + o.released,
                        releasedBytes + o.releasedBytes,
                        held + o.held,
                        heldBytes + o.heldBytes);
    }

    /** Not a field of the document: the counts say it. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return equals(NONE);
    }
}
