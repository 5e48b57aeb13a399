package io.acrretention.registry.acr;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.core.util.Context;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records the status the registry really answered. The SDK rewrites a 404 on delete into a 202
 * ("delete is idempotent"), which would make "already gone" indistinguishable from "deleted"; a
 * call that passes {@link #context()} can read the wire status afterwards. Sits after the
 * credentials policy, so the last status it sees is the answer to the authorized request, not the
 * 401 challenge.
 */
final class StatusRecorder extends HttpPipelineSyncPolicy {
    private static final String KEY = "acr-retention.wire-status";

    /** A fresh call context with an empty status slot. */
    static Context context() {
        return new Context(KEY, new AtomicInteger());
    }

    static int status(Context context) {
        return context.getData(KEY).map(o -> ((AtomicInteger) o).get()).orElse(0);
    }

    @Override
    protected HttpResponse afterReceivedResponse(
            HttpPipelineCallContext context, HttpResponse response) {
        context.getData(KEY).ifPresent(o -> ((AtomicInteger) o).set(response.getStatusCode()));
        return response;
    }
}
