package io.acrretention.inventory.kubernetes;

import io.acrretention.inventory.http.BearerHttp;
import java.net.URI;

/**
 * Where a cluster's Kubernetes API answers, and the HTTPS client that trusts its CA and sends its
 * token.
 */
public record ApiServer(URI server, BearerHttp http) {}
