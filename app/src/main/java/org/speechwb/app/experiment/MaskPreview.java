package org.speechwb.app.experiment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.speechwb.engine.config.MaskingConfig;
import org.speechwb.engine.model.w2v2.SpanMaskSampler;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;

/**
 * The masks the trainer would draw for one utterance, drawn by the engine's own sampler, and
 * where they fall in the audio: frame t covers samples [t·hop, t·hop + receptive field).
 *
 * @param samples           length of the audio in 16 kHz samples
 * @param frames            encoder frames of that audio
 * @param mask              mask[t] for every frame
 * @param spans             runs of masked frames with the samples they cover
 * @param expectedFraction  MaskingConfig.expectedMaskedFrames(frames) / frames
 * @param actualFraction    masked frames / frames of this draw
 */
public record MaskPreview(long samples, int frames, boolean[] mask, List<Span> spans, double expectedFraction,
                          double actualFraction, long seed) {

    /** Masked frames {@code [firstFrame, lastFrame]} covering samples {@code [startSample, endSample)}. */
    public record Span(int firstFrame, int lastFrame, long startSample, long endSample) {
    }

    public static MaskPreview draw(Wav2Vec2Config model, MaskingConfig masking, long samples, long seed) {
        int frames = (int) model.framesFor(samples);
        if (frames <= 0) {
            return new MaskPreview(samples, 0, new boolean[0], List.of(), 0, 0, seed);
        }
        SpanMaskSampler sampler = new SpanMaskSampler(masking.maskProb(), masking.maskLength(), masking.minMasks(),
                masking.requireSameMasks());
        boolean[] mask = sampler.sample(1, frames, null, new SplittableRandom(seed))[0];
        long hop = model.hopSamples();
        long rf = model.receptiveFieldSamples();
        List<Span> spans = new ArrayList<>();
        int masked = 0;
        for (int t = 0; t < frames; t++) {
            if (!mask[t]) {
                continue;
            }
            int first = t;
            while (t + 1 < frames && mask[t + 1]) {
                t++;
            }
            masked += t - first + 1;
            spans.add(new Span(first, t, first * hop, Math.min(samples, t * hop + rf)));
        }
        return new MaskPreview(samples, frames, mask, List.copyOf(spans),
                masking.expectedMaskedFrames(frames) / frames, (double) masked / frames, seed);
    }
}
