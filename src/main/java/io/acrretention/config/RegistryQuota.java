package io.acrretention.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * A registry's request quota ({@code registries[].sku}, or explicit {@code writesPerMinute} and
 * {@code readsPerMinute}): what ACR allows the whole registry a minute, shared by every client and
 * every function instance.
 *
 * @param sku the registry's SKU as configured (Basic, Standard, Premium); null when only explicit
 *     numbers were given
 * @param writesPerMinute manifest and tag writes (deletes, untags) a minute
 * @param readsPerMinute reads a minute; every delete costs one (the re-read before it)
 */
public record RegistryQuota(String sku, int writesPerMinute, int readsPerMinute) {
    static final int MAX_PER_MINUTE = 1_000_000;

    /** The published quota of each ACR SKU. */
    public enum Sku {
        BASIC("Basic", 100, 1_000),
        STANDARD("Standard", 500, 3_000),
        PREMIUM("Premium", 2_000, 10_000);

        private final String json;
        private final int writes;
        private final int reads;

        Sku(String json, int writes, int reads) {
            this.json = json;
            this.writes = writes;
            this.reads = reads;
        }

        public String json() {
            return json;
        }

        public RegistryQuota quota() {
            return new RegistryQuota(json, writes, reads);
        }
    }

    public RegistryQuota {
        if (writesPerMinute < 1 || readsPerMinute < 1) {
            throw new IllegalArgumentException(
                    "a quota needs at least one write and one read a minute, not "
                            + writesPerMinute
                            + " and "
                            + readsPerMinute);
        }
    }

    /**
     * The quota a registry entry configures, or null when it configures none (the cleaner is then
     * unpaced, as before the key existed). Explicit numbers win over the SKU's; without a SKU
     * {@code writesPerMinute} is required, and reads default to five times the writes (Premium's
     * ratio, the lowest of the three).
     */
    static RegistryQuota parse(ObjectNode r, String path, Problems problems) {
        JsonNode skuNode = r.get("sku");
        boolean skuGiven = skuNode != null && !skuNode.isNull();
        Sku sku = skuGiven ? sku(skuNode, path + ".sku", problems) : null;
        Integer writes = perMinute(r, "writesPerMinute", path, problems);
        Integer reads = perMinute(r, "readsPerMinute", path, problems);
        if (skuGiven && sku == null) {
            return null;
        }
        if (sku == null && writes == null) {
            if (reads != null) {
                problems.add(
                        path + ".readsPerMinute",
                        "needs writesPerMinute or sku beside it: deletes are paced by the write"
                                + " quota");
            }
            return null;
        }
        int w = writes != null ? writes : sku.writes;
        int rd = reads != null ? reads : sku != null ? sku.reads : Math.min(5 * w, MAX_PER_MINUTE);
        return new RegistryQuota(sku == null ? null : sku.json, w, rd);
    }

    private static Sku sku(JsonNode node, String path, Problems problems) {
        if (node.isTextual()) {
            for (Sku s : Sku.values()) {
                if (s.json.equalsIgnoreCase(node.asText().trim())) {
                    return s;
                }
            }
        }
        problems.add(
                path,
                "must be Basic, Standard or Premium (the registry's SKU, which sets its quota),"
                        + " got "
                        + Problems.describe(node));
        return null;
    }

    private static Integer perMinute(ObjectNode r, String key, String path, Problems problems) {
        if (r.get(key) == null || r.get(key).isNull()) {
            return null;
        }
        Integer v = problems.nonNegativeInt(r, key, path, null);
        if (v != null && (v < 1 || v > MAX_PER_MINUTE)) {
            problems.add(
                    path + "." + key,
                    String.format(
                            Locale.ROOT,
                            "must be between 1 and %,d requests a minute, got %d",
                            MAX_PER_MINUTE,
                            v));
            return null;
        }
        return v;
    }
}
