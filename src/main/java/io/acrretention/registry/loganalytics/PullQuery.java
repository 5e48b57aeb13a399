package io.acrretention.registry.loganalytics;

import java.time.Instant;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * The one KQL query per registry and run: the last pull per login server, repository, digest and
 * tag, over {@code ContainerRegistryRepositoryEvents} (columns as published in Microsoft's Azure
 * Monitor Logs table reference, MicrosoftDocs/azure-reference-other,
 * azure-monitor-ref/tables/containerregistryrepositoryevents.md: TimeGenerated, OperationName,
 * LoginServer, Identity, Repository, Tag, Digest, ...). The window is not in the text: it is the
 * request's {@code timespan}, which the service applies to TimeGenerated.
 *
 * <p>The login server is not filtered here but in {@link LogAnalyticsPulls}, where it is compared
 * in the same normal form as everywhere else (lower case, no :443): a spelling mismatch in KQL
 * would silently return no pulls, and "no pulls" is the unsafe answer for this rule.
 */
final class PullQuery {
    static final String TABLE = "ContainerRegistryRepositoryEvents";

    private PullQuery() {}

    static String kql(Collection<String> excludedIdentities) {
        StringBuilder q =
                new StringBuilder(TABLE).append('\n').append("| where OperationName == \"Pull\"\n");
        if (!excludedIdentities.isEmpty()) {
            q.append("| where Identity !in~ (")
                    .append(
                            excludedIdentities.stream()
                                    .sorted()
                                    .map(PullQuery::literal)
                                    .collect(Collectors.joining(", ")))
                    .append(")\n");
        }
        return q.append(
                        "| summarize LastPull = max(TimeGenerated) by LoginServer, Repository, Digest, Tag")
                .toString();
    }

    /** The request's timespan: an ISO-8601 interval, start/end. */
    static String timespan(Instant since, Instant until) {
        return since + "/" + until;
    }

    /**
     * A KQL string literal: double quotes, with backslash and quote escaped (identities are user
     * input).
     */
    static String literal(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
