package io.acrretention.retention;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The validated {@code policy} of the configuration (docs/configuration.md): the run-wide settings
 * (which repositories a run touches, the plausibility limits, the delete cap) and the
 * per-repository rules, a base and its overrides, resolved by {@link #forRepository(String)}. Build
 * it with {@link io.acrretention.config.PolicyParser}; the defaults reproduce the original cleanup
 * script.
 *
 * @param base the rules of every repository no override matches
 * @param overrides per-repository rules; for a repository the last one that matches wins whole
 * @param include the globs of the repositories a run touches
 * @param exclude globs of repositories a run leaves alone, though {@code include} matches them
 * @param minUsedImages fewer used images in the inventory: no deletion in the run
 * @param maxDeletesPerRun deletions and untags per run across all repositories and instances
 * @param maxUsedImagesDrop the fraction of the last complete run's used images that may go missing
 *     before the run withholds deletion
 */
public record RetentionPolicy(
        RepositoryPolicy base,
        List<Override> overrides,
        List<Glob> include,
        List<Glob> exclude,
        int minUsedImages,
        int maxDeletesPerRun,
        double maxUsedImagesDrop) {

    /**
     * Rules for repositories matching any of {@code repositories}, already merged onto the base.
     *
     * @param setsMode whether the override names its own {@code mode}: then no run request or
     *     {@code --mode} can lift it, only narrow it to dry run
     */
    public record Override(List<Glob> repositories, RepositoryPolicy policy, boolean setsMode) {
        public Override {
            repositories = List.copyOf(repositories);
        }

        public boolean appliesTo(String repository) {
            return repositories.stream().anyMatch(g -> g.matches(repository));
        }
    }

    public RetentionPolicy {
        overrides = List.copyOf(overrides);
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public static RetentionPolicy defaults() {
        return new RetentionPolicy(
                RepositoryPolicy.defaults(),
                List.of(),
                List.of(Glob.of("**")),
                List.of(),
                1,
                1000,
                0.5);
    }

    /** Whether the include/exclude globs select this repository. */
    public boolean selects(String repository) {
        return include.stream().anyMatch(g -> g.matches(repository))
                && exclude.stream().noneMatch(g -> g.matches(repository));
    }

    /**
     * The rules that govern one repository: those of the last override whose globs match it, else
     * the base.
     */
    public RepositoryPolicy forRepository(String repository) {
        for (int i = overrides.size() - 1; i >= 0; i--) {
            if (overrides.get(i).appliesTo(repository)) {
                return overrides.get(i).policy();
            }
        }
        return base;
    }

    /** The base and every override's rules. */
    private Stream<RepositoryPolicy> everyRepositoryPolicy() {
        return Stream.concat(Stream.of(base), overrides.stream().map(Override::policy));
    }

    /**
     * How far back a run must read pull logs: the longest {@code keepPulledWithin} of the base and
     * its overrides; empty when no repository keeps by pulls.
     */
    public Optional<Duration> pullWindow() {
        return everyRepositoryPolicy()
                .map(RepositoryPolicy::keepPulledWithin)
                .filter(Objects::nonNull)
                .max(Duration::compareTo);
    }

    /** Whether the base or any override quarantines before it deletes. */
    public boolean quarantinesAnywhere() {
        return everyRepositoryPolicy().anyMatch(RepositoryPolicy::quarantines);
    }

    /** This policy with other base rules. */
    public RetentionPolicy withBase(RepositoryPolicy newBase) {
        return new RetentionPolicy(
                newBase,
                overrides,
                include,
                exclude,
                minUsedImages,
                maxDeletesPerRun,
                maxUsedImagesDrop);
    }

    /** This policy with these overrides instead of its own. */
    public RetentionPolicy withOverrides(List<Override> newOverrides) {
        return new RetentionPolicy(
                base,
                newOverrides,
                include,
                exclude,
                minUsedImages,
                maxDeletesPerRun,
                maxUsedImagesDrop);
    }

    /**
     * This policy with another base mode ({@code --mode delete}): overrides that inherit the base
     * mode follow it; an override that names its own mode keeps it.
     */
    public RetentionPolicy withBaseMode(Mode newMode) {
        List<Override> followed =
                overrides.stream()
                        .map(
                                o ->
                                        o.setsMode()
                                                ? o
                                                : new Override(
                                                        o.repositories(),
                                                        o.policy().toBuilder()
                                                                .mode(newMode)
                                                                .build(),
                                                        false))
                        .toList();
        return withBase(base.toBuilder().mode(newMode).build()).withOverrides(followed);
    }
}
