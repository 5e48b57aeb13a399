package io.acrretention.inventory.kubernetes;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The API server and CA of the first cluster in a kubeconfig, read line by line: AKS writes one
 * cluster entry with {@code certificate-authority-data} and {@code server}, and a YAML library for
 * two keys would be a dependency that earns nothing.
 */
record Kubeconfig(URI server, String caPem) {
    static Kubeconfig parse(String yaml) {
        String server = null;
        String caData = null;
        for (String line : yaml.split("\\R")) {
            String s = line.strip();
            if (s.startsWith("- ")) {
                s = s.substring(2).strip();
            }
            if (server == null && s.startsWith("server:")) {
                server = value(s);
            } else if (caData == null && s.startsWith("certificate-authority-data:")) {
                caData = value(s);
            }
        }
        if (server == null || server.isEmpty()) {
            throw new IllegalArgumentException("the kubeconfig names no cluster server");
        }
        if (caData == null || caData.isEmpty()) {
            throw new IllegalArgumentException("the kubeconfig has no certificate-authority-data");
        }
        URI uri;
        try {
            uri = URI.create(server);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the kubeconfig's server '" + server + "' is not a URL", e);
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "the kubeconfig's server '" + server + "' is not an https URL");
        }
        String pem;
        try {
            pem = new String(Base64.getMimeDecoder().decode(caData), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "the kubeconfig's certificate-authority-data is not base64", e);
        }
        return new Kubeconfig(uri, pem);
    }

    private static String value(String line) {
        String v = line.substring(line.indexOf(':') + 1).strip();
        if (v.length() >= 2
                && (v.startsWith("\"") && v.endsWith("\"")
                        || v.startsWith("'") && v.endsWith("'"))) {
            v = v.substring(1, v.length() - 1);
        }
        return v;
    }
}
