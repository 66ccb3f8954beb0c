package org.speechwb.engine.config;

/**
 * Time masking of the latent frames (fairseq {@code mask_prob}, {@code mask_length},
 * {@code mask_min_masks}, {@code require_same_masks}).
 *
 * @param maskProb         share of frames chosen as span starts, before rounding (0.65)
 * @param maskLength       span length in frames (10 = 200 ms)
 * @param minMasks         at least this many spans per utterance (2)
 * @param requireSameMasks equalise the masked count across the batch (true, as the reference)
 */
public record MaskingConfig(double maskProb, int maskLength, int minMasks, boolean requireSameMasks) {

    public MaskingConfig {
        if (!(maskProb > 0 && maskProb <= 1)) {
            throw new IllegalArgumentException("masking.maskProb must be in (0, 1], got " + maskProb);
        }
        if (maskLength < 1) {
            throw new IllegalArgumentException("masking.maskLength must be at least 1 frame, got " + maskLength);
        }
        if (minMasks < 0) {
            throw new IllegalArgumentException("masking.minMasks cannot be negative, got " + minMasks);
        }
    }

    public static MaskingConfig reference() {
        return new MaskingConfig(0.65, 10, 2, true);
    }

    /**
     * Expected masked frames in an utterance of {@code frames} frames (spans may overlap): each
     * frame is missed by a span with probability about (1 − L/T)^n.
     */
    public double expectedMaskedFrames(long frames) {
        if (frames <= 0) {
            return 0;
        }
        double spans = Math.max(minMasks, maskProb * frames / maskLength);
        double cover = Math.min(1.0, (double) maskLength / frames);
        return frames * (1 - Math.pow(1 - cover, spans));
    }
}
