package org.speechwb.engine.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.speechwb.engine.model.w2v2.Wav2Vec2Config;

/**
 * Everything that defines a pre-training run, saved with the run and with every checkpoint.
 * Each section validates itself; {@link #problems()} adds the checks that need several
 * sections at once (span vs. crop length, negatives vs. masked frames) and the constructor
 * rejects a config that has any.
 *
 * @param family   model family; "wav2vec2" is the one this engine trains
 * @param wav2vec2 the architecture
 */
public record PretrainConfig(String family, Wav2Vec2Config wav2vec2, MaskingConfig masking, QuantizerSchedule quantizer,
                             LossConfig loss, OptimizerConfig optimizer, DataConfig data, RunConfig run) {

    public static final String WAV2VEC2 = "wav2vec2";

    public PretrainConfig {
        family = family == null ? WAV2VEC2 : family.toLowerCase(Locale.ROOT);
        if (!family.equals(WAV2VEC2)) {
            throw new IllegalArgumentException("family '" + family + "' is not supported; this engine pre-trains wav2vec2");
        }
        if (wav2vec2 == null || masking == null || quantizer == null || loss == null || optimizer == null
                || data == null || run == null) {
            throw new IllegalArgumentException("a pre-training config needs the sections wav2vec2, masking, quantizer,"
                    + " loss, optimizer, data and run");
        }
        List<String> problems = crossCheck(wav2vec2, masking, loss, optimizer, data, run);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** Frames of the shortest crop the batcher can produce. */
    public long minCropFrames() {
        return wav2vec2.framesFor(Math.max(data.minSampleSize(), 1));
    }

    private static List<String> crossCheck(Wav2Vec2Config m, MaskingConfig mask, LossConfig loss, OptimizerConfig opt,
                                           DataConfig data, RunConfig run) {
        List<String> out = new ArrayList<>();
        long minFrames = m.framesFor(Math.max(data.minSampleSize(), 1));
        long maxFrames = m.framesFor(data.maxSampleSize());
        if (maxFrames < 2) {
            out.add("data.maxSampleSize " + data.maxSampleSize() + " samples gives " + maxFrames
                    + " encoder frames; the model needs at least 2");
        }
        long shortest = Math.max(minFrames, 1);
        if (mask.maskLength() >= shortest) {
            out.add(String.format(Locale.ROOT,
                    "mask span of %d frames (%.0f ms) is not shorter than the shortest crop: data.minSampleSize %d samples"
                            + " gives %d frames; shorten masking.maskLength or raise data.minSampleSize",
                    mask.maskLength(), mask.maskLength() * m.hopSamples() / 16.0, data.minSampleSize(), minFrames));
        } else if (loss.negatives() >= mask.expectedMaskedFrames(maxFrames)) {
            // Distractors are drawn with replacement (as the reference does), so only a count that
            // not even the longest crop's masked frames can supply distinctly is nonsense.
            out.add(String.format(Locale.ROOT,
                    "%d negatives cannot be drawn from the other masked frames: even the longest crop (%d frames)"
                            + " has only about %.0f masked; lower loss.negatives or raise data.maxSampleSize",
                    loss.negatives(), maxFrames, mask.expectedMaskedFrames(maxFrames)));
        }
        if (opt.schedule().equals("tri_stage") && opt.warmupUpdates() + opt.holdUpdates() > run.maxUpdates()) {
            out.add("tri-stage warm-up + hold (" + (opt.warmupUpdates() + opt.holdUpdates())
                    + ") exceed run.maxUpdates " + run.maxUpdates());
        } else if (opt.warmupUpdates() > run.maxUpdates()) {
            out.add("optimizer.warmupUpdates " + opt.warmupUpdates() + " exceeds run.maxUpdates " + run.maxUpdates());
        }
        return out;
    }

    /**
     * Settings that are legal but worth a second look, shown next to the config (the reference
     * BASE recipe itself triggers the first one on its shortest 2 s crops).
     */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        long minFrames = minCropFrames();
        double masked = masking.expectedMaskedFrames(minFrames);
        if (loss.negatives() >= masked) {
            out.add(String.format(Locale.ROOT,
                    "the shortest crop (%d frames) has about %.0f masked frames, fewer than %d negatives: its"
                            + " distractors repeat (they are drawn with replacement, as in the reference)",
                    minFrames, masked, loss.negatives()));
        }
        if (wav2vec2.posConvKernel() > 2 * minFrames) {
            out.add("positional convolution kernel " + wav2vec2.posConvKernel() + " is much wider than the shortest crop ("
                    + minFrames + " frames)");
        }
        return out;
    }

    public PretrainConfig withRun(RunConfig newRun) {
        return new PretrainConfig(family, wav2vec2, masking, quantizer, loss, optimizer, data, newRun);
    }

    public PretrainConfig withMaxUpdates(int maxUpdates) {
        return withRun(new RunConfig(maxUpdates, run.checkpointInterval(), run.keepCheckpoints(), run.seed(),
                run.nanTolerance(), run.warnAfterUpdates()));
    }
}
