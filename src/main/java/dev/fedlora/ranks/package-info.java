/**
 * What a rank policy is: the validated record of its config section
 * ({@link dev.fedlora.ranks.RankConfig}, what the run relies on before any client exists) and the
 * runtime {@link dev.fedlora.ranks.RankPolicy} it builds, which may rescore clients after a round
 * ({@link dev.fedlora.ranks.ClientScorer}). The policies themselves are in
 * {@code ranks.policies}; the config records depend on this package, not on them.
 */
package dev.fedlora.ranks;
