package org.speechwb.engine.ctc;

/**
 * Settings of {@link PrefixBeamSearch}.
 *
 * @param beamWidth        prefixes kept per frame (fairseq / flashlight use 50–500 with an LM;
 *                         32 is plenty for letters on short utterances)
 * @param lmWeight         α, the weight of the language model's ln-probabilities
 * @param wordBonus        β, added per word: offsets the LM's bias towards short hypotheses
 * @param tokenPruneLogProb per frame only tokens with ln p above this are tried (the frame's best
 *                         always is); −∞ tries all. Peaky CTC posteriors put almost all mass on a
 *                         few tokens, so this is the main speed lever (pyctcdecode: −5)
 * @param beamPruneLogProb prefixes scoring more than this below the frame's best are dropped
 * @param nBest            hypotheses returned, best first
 */
public record BeamSearchConfig(int beamWidth, double lmWeight, double wordBonus, double tokenPruneLogProb,
                               double beamPruneLogProb, int nBest) {

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
    }

    /** Beam 32, α 0.5, β 1.0, token pruning at ln p = −10, beam pruning 20 below the best, 1 result. */
    public static BeamSearchConfig defaults() {
        return new BeamSearchConfig(32, 0.5, 1.0, -10, 20, 1);
    }

    public BeamSearchConfig withBeamWidth(int width) {
        return new BeamSearchConfig(width, lmWeight, wordBonus, tokenPruneLogProb, beamPruneLogProb, Math.min(nBest, width));
    }

    public BeamSearchConfig withLm(double alpha, double beta) {
        return new BeamSearchConfig(beamWidth, alpha, beta, tokenPruneLogProb, beamPruneLogProb, nBest);
    }

    public BeamSearchConfig withNBest(int n) {
        return new BeamSearchConfig(beamWidth, lmWeight, wordBonus, tokenPruneLogProb, beamPruneLogProb, n);
    }

    public BeamSearchConfig withPruning(double tokenLogProb, double beamLogProb) {
        return new BeamSearchConfig(beamWidth, lmWeight, wordBonus, tokenLogProb, beamLogProb, nBest);
    }
}
