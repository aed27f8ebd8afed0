package dev.fedlora.config;

import java.util.List;
import java.util.ServiceLoader;

/** The rank policies every run can choose: the one {@link RankConfigParser} the class path registers, looked up once. */
final class StandardRankPolicies {
    static final RankConfigParser PARSER = load();

    private StandardRankPolicies() {}

    /** @throws IllegalStateException if the class path registers no rank policy parser, or more than one */
    private static RankConfigParser load() {
        List<RankConfigParser> found = ServiceLoader.load(RankConfigParser.class, RankConfigParser.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one rank policy parser in META-INF/services/"
                    + RankConfigParser.class.getName() + ", found " + found.size());
        }
        return found.get(0);
    }
}
