package io.acrretention.image;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one normal form of a registry name (host[:port]), and the further names (aliases: a mirror, a
 * proxy) under which pods reach a configured registry. Every comparison of registry names goes
 * through {@link #normalize}: {@code MyReg.azurecr.io:443} and {@code myreg.azurecr.io} are one
 * registry, or a pod that names the port would look unused and its image would be deleted.
 */
public final class RegistryNames {
    /** No aliases: every name stands for itself, in normal form. */
    public static final RegistryNames NONE = new RegistryNames(Map.of());

    private static final String DEFAULT_PORT = ":443";

    // normalised alias -> normalised login server
    private final Map<String, String> aliases;

    private RegistryNames(Map<String, String> aliases) {
        this.aliases = Map.copyOf(aliases);
    }

    /**
     * @param aliasesByLoginServer for each registry's login server, the further names pods use for
     *     it; every name is normalised here
     * @throws IllegalArgumentException when one alias would stand for two registries
     */
    public static RegistryNames of(Map<String, ? extends Iterable<String>> aliasesByLoginServer) {
        Map<String, String> out = new HashMap<>();
        aliasesByLoginServer.forEach(
                (loginServer, names) -> {
                    String target = normalize(loginServer);
                    for (String alias : names) {
                        String a = normalize(alias);
                        String before = out.put(a, target);
                        if (before != null && !before.equals(target)) {
                            throw new IllegalArgumentException(
                                    "alias '"
                                            + alias
                                            + "' names both "
                                            + before
                                            + " and "
                                            + target);
                        }
                    }
                });
        out.entrySet().removeIf(e -> e.getKey().equals(e.getValue()));
        return new RegistryNames(out);
    }

    /**
     * Lower case, and the HTTPS default port dropped: registries are reached over HTTPS, so {@code
     * :443} adds nothing to a name. Any other port is part of the name.
     */
    public static String normalize(String hostPort) {
        String s = hostPort.toLowerCase(Locale.ROOT);
        return s.endsWith(DEFAULT_PORT) ? s.substring(0, s.length() - DEFAULT_PORT.length()) : s;
    }

    /**
     * The configured registry a name stands for: its login server when it is an alias, else its
     * normal form.
     */
    public String canonical(String hostPort) {
        String n = normalize(hostPort);
        return aliases.getOrDefault(n, n);
    }

    /**
     * {@code reference} named through its registry's login server when its host is an alias; else
     * itself.
     */
    public ImageReference canonical(ImageReference reference) {
        String target = aliases.get(reference.registry());
        return target == null ? reference : reference.withRegistry(target);
    }

    public boolean isEmpty() {
        return aliases.isEmpty();
    }
}
