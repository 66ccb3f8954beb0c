package org.speechwb.engine.ctc;

/**
 * Settings of {@link PrefixBeamSearch}.
 *
 * @param beamWidth          prefixes kept per frame (fairseq / flashlight use 50–500 with an LM;
 *                           32 is plenty for letters on short utterances)
 * @param lmWeight           α, the weight of the language model's ln-probabilities
 * @param wordBonus          β, added per word: offsets the LM's bias towards fewer, longer words
 * @param unknownPrefixPenalty added (in ln units, not scaled by α) while a prefix's unfinished
 *                           last word is no prefix of any word the LM knows. Without it a prefix
 *                           that turns its word boundary into a stray letter postpones its LM cost
 *                           and outranks the correct one until that cost arrives, too late
 *                           (pyctcdecode's {@code unk_score_offset}, −10)
 * @param tokenPruneLogProb  per frame only tokens with ln p above this are tried (the frame's best
 *                           always is); −∞ tries all. Peaky CTC posteriors put almost all mass on a
 *                           few tokens, so this is the main speed lever (pyctcdecode: −5)
 * @param beamPruneLogProb   prefixes scoring more than this below the frame's best are dropped
 * @param nBest              hypotheses returned, best first
 */
public record BeamSearchConfig(int beamWidth, double lmWeight, double wordBonus, double unknownPrefixPenalty,
                               double tokenPruneLogProb, double beamPruneLogProb, int nBest) {

    public BeamSearchConfig {
        if (beamWidth < 1) {
            throw new IllegalArgumentException("beam width must be at least 1, got " + beamWidth);
        }
        if (nBest < 1 || nBest > beamWidth) {
            throw new IllegalArgumentException("n-best must be 1.." + beamWidth + " (the beam width), got " + nBest);
        }
        if (!(beamPruneLogProb > 0)) {
            throw new IllegalArgumentException("beam pruning threshold must be positive, got " + beamPruneLogProb);
        }
        if (unknownPrefixPenalty > 0) {
            throw new IllegalArgumentException("the unknown-prefix penalty is a ln-probability offset, at most 0, got "
                    + unknownPrefixPenalty);
        }
    }

    /** Beam 32, α 0.5, β 1.0, unknown-prefix penalty −10, token pruning at ln p = −10, beam pruning 20, 1 result. */
    public static BeamSearchConfig defaults() {
        return new BeamSearchConfig(32, 0.5, 1.0, -10, -10, 20, 1);
    }

    public BeamSearchConfig withBeamWidth(int width) {
        return new BeamSearchConfig(width, lmWeight, wordBonus, unknownPrefixPenalty, tokenPruneLogProb, beamPruneLogProb,
                Math.min(nBest, width));
    }

    public BeamSearchConfig withLm(double alpha, double beta) {
        return new BeamSearchConfig(beamWidth, alpha, beta, unknownPrefixPenalty, tokenPruneLogProb, beamPruneLogProb, nBest);
    }

    public BeamSearchConfig withUnknownPrefixPenalty(double penalty) {
        return new BeamSearchConfig(beamWidth, lmWeight, wordBonus, penalty, tokenPruneLogProb, beamPruneLogProb, nBest);
    }

    public BeamSearchConfig withNBest(int n) {
        return new BeamSearchConfig(beamWidth, lmWeight, wordBonus, unknownPrefixPenalty, tokenPruneLogProb, beamPruneLogProb, n);
    }

    public BeamSearchConfig withPruning(double tokenLogProb, double beamLogProb) {
        return new BeamSearchConfig(beamWidth, lmWeight, wordBonus, unknownPrefixPenalty, tokenLogProb, beamLogProb, nBest);
    }
}
