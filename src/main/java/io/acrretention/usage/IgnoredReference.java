package io.acrretention.usage;

/**
 * A string a cluster reported as an image that is not a reference; kept so a report can show it.
 */
public record IgnoredReference(String reference, String reason) {}
