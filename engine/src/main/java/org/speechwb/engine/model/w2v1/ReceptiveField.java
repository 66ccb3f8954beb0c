package org.speechwb.engine.model.w2v1;

import java.util.List;
import java.util.Locale;

import org.speechwb.engine.model.w2v2.ConvLayerSpec;

/**
 * Frame geometry of a wav2vec 1.0 model, computed from its layer list: hop and receptive field
 * of one encoder frame z_i, and of one context vector c_i (the context layers are causal with
 * stride 1, so each adds {@code kernel − 1} past frames).
 *
 * @param encoderSamples receptive field of z_i in samples (465 for the paper: ~30 ms)
 * @param hopSamples     samples between frames (160: 10 ms)
 * @param contextFrames  encoder frames one c_i depends on (the current one included)
 */
public record ReceptiveField(long encoderSamples, long hopSamples, long contextFrames) {

    static final int SAMPLE_RATE = 16_000;

    public static ReceptiveField of(List<ConvLayerSpec> encoder, List<ConvLayerSpec> context) {
        long rf = 1;
        long jump = 1;
        for (ConvLayerSpec l : encoder) {
            rf += (long) (l.kernel() - 1) * jump;
            jump *= l.stride();
        }
        long frames = 1;
        for (ConvLayerSpec l : context) {
            frames += l.kernel() - 1;
        }
        return new ReceptiveField(rf, jump, frames);
    }

    /** Samples one context vector sees: (frames − 1)·hop + encoder field (3 345 for the paper: ~210 ms). */
    public long contextSamples() {
        return (contextFrames - 1) * hopSamples + encoderSamples;
    }

    /** fairseq's offset = "auto": ceil(encoder receptive field / hop). */
    public long referenceOffset() {
        return (encoderSamples + hopSamples - 1) / hopSamples;
    }

    public double encoderMs() {
        return encoderSamples * 1000.0 / SAMPLE_RATE;
    }

    public double hopMs() {
        return hopSamples * 1000.0 / SAMPLE_RATE;
    }

    public double contextMs() {
        return contextSamples() * 1000.0 / SAMPLE_RATE;
    }

    /** For logs and the UI: "frame 29.1 ms every 10.0 ms, context 209.1 ms". */
    public String describe() {
        return String.format(Locale.ROOT, "encoder frame %.1f ms (%d samples) every %.1f ms, context %.0f ms (%d frames)",
                encoderMs(), encoderSamples, hopMs(), contextMs(), contextFrames);
    }
}
