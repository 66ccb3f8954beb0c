package org.speechwb.engine.inspect;

import java.util.List;

/**
 * What the model does with one utterance, aligned to the waveform: the data the workbench's
 * inspection view draws and the {@code inspect} command writes as JSON.
 *
 * @param sampleRate          always 16 000 (audio is resampled on reading)
 * @param samples             waveform length in samples
 * @param frames              encoder frames
 * @param hopSamples          samples between frame starts (320 for the reference encoder)
 * @param receptiveField      samples one frame sees (400): frame t covers samples
 *                            [t·hopSamples, t·hopSamples + receptiveField)
 * @param maskSeed            seed of the mask and distractor draw (resample with another one)
 * @param maskSpans           masked runs of frames, each with the samples they cover
 * @param codes               codes[t][g]: codebook entry chosen by group g at frame t (argmax)
 * @param masked              masked[t]
 * @param correct             correct[t]: for masked frames, whether the true target scored
 *                            highest among the candidates; null for unmasked frames
 * @param targetLogit         cosine similarity / κ between the context and the true target (masked frames)
 * @param accuracy            share of masked frames predicted correctly
 * @param contrastiveBits     contrastive loss of this utterance, in bits
 */
public record Inspection(String audio, String checkpoint, int update, int sampleRate, long samples, int frames,
                         long hopSamples, long receptiveField, long maskSeed, int negatives,
                         List<MaskSpan> maskSpans, int[][] codes, boolean[] masked, Boolean[] correct,
                         Double[] targetLogit, double accuracy, double contrastiveBits, double codePerplexity) {

    /** Frames [startFrame, endFrame) masked, covering samples [startSample, endSample). */
    public record MaskSpan(int startFrame, int endFrame, long startSample, long endSample) {
    }
}
