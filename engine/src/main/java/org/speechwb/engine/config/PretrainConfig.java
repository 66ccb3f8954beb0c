package org.speechwb.engine.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.OptBoolean;
import org.speechwb.engine.model.w2v1.Wav2Vec1Config;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;

/**
 * Everything that defines a pre-training run, saved with the run and with every checkpoint.
 * Each section validates itself; {@link #problems()} adds the checks that need several
 * sections at once (span vs. crop length, negatives vs. masked frames) and the constructor
 * rejects a config that has any.
 *
 * <p>Which sections a config has depends on its family. wav2vec2: wav2vec2, masking, quantizer,
 * loss, optimizer, data, run. wav2vec1 and vq-wav2vec: wav2vec1, loss (negatives; diversityWeight
 * weighs the quantizer's own loss; penaltyWeight must be 0), optimizer, data, run, and for a
 * Gumbel vq-wav2vec the quantizer (temperature schedule). Sections of the other family are
 * rejected rather than silently ignored. Absent sections are null and are not written.
 *
 * @param family   "wav2vec2", "wav2vec1" or "vq-wav2vec" (a wav2vec1 section with a quantizer)
 * @param wav2vec2 the wav2vec 2.0 architecture (wav2vec2 family only)
 * @param wav2vec1 the wav2vec 1.0 / vq-wav2vec architecture and objective (those families only)
 */
public record PretrainConfig(String family,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             Wav2Vec2Config wav2vec2,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             Wav2Vec1Config wav2vec1,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             MaskingConfig masking,
                             @JsonInclude(JsonInclude.Include.NON_NULL)
                             QuantizerSchedule quantizer,
                             LossConfig loss, OptimizerConfig optimizer, DataConfig data, RunConfig run) {

    public static final String WAV2VEC2 = "wav2vec2";
    public static final String WAV2VEC1 = "wav2vec1";
    public static final String VQ_WAV2VEC = "vq-wav2vec";
    /** Injection keys under which ConfigIO supplies null for an optional section that a file leaves out. */
    public static final String ABSENT_WAV2VEC2 = "speechwb.absent.wav2vec2";
    public static final String ABSENT_WAV2VEC1 = "speechwb.absent.wav2vec1";
    public static final String ABSENT_MASKING = "speechwb.absent.masking";
    public static final String ABSENT_QUANTIZER = "speechwb.absent.quantizer";

    public PretrainConfig {
        family = family == null ? WAV2VEC2 : family.toLowerCase(Locale.ROOT);
        if (loss == null || optimizer == null || data == null || run == null) {
            throw new IllegalArgumentException("a pre-training config needs the sections loss, optimizer, data and run");
        }
        List<String> problems;
        switch (family) {
            case WAV2VEC2 -> {
                if (wav2vec2 == null || masking == null || quantizer == null) {
                    throw new IllegalArgumentException("a wav2vec2 config needs the sections wav2vec2, masking, quantizer,"
                            + " loss, optimizer, data and run");
                }
                if (wav2vec1 != null) {
                    throw new IllegalArgumentException("section wav2vec1 does not apply to family wav2vec2");
                }
                problems = crossCheck(wav2vec2, masking, loss, optimizer, data, run);
            }
            case WAV2VEC1, VQ_WAV2VEC -> problems = crossCheckWav2Vec1(family, wav2vec1, wav2vec2, masking, quantizer, loss,
                    optimizer, data, run);
            default -> throw new IllegalArgumentException("family '" + family + "' is not supported; this engine pre-trains "
                    + WAV2VEC2 + ", " + WAV2VEC1 + " and " + VQ_WAV2VEC);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /**
     * How Jackson builds a config: the family-specific sections may be left out of a file
     * (ConfigIO injects null for them), every other field stays mandatory.
     */
    @JsonCreator
    static PretrainConfig fromJson(
            @JsonProperty("family") String family,
            @JsonProperty("wav2vec2") @JacksonInject(value = ABSENT_WAV2VEC2, useInput = OptBoolean.TRUE) Wav2Vec2Config wav2vec2,
            @JsonProperty("wav2vec1") @JacksonInject(value = ABSENT_WAV2VEC1, useInput = OptBoolean.TRUE) Wav2Vec1Config wav2vec1,
            @JsonProperty("masking") @JacksonInject(value = ABSENT_MASKING, useInput = OptBoolean.TRUE) MaskingConfig masking,
            @JsonProperty("quantizer") @JacksonInject(value = ABSENT_QUANTIZER, useInput = OptBoolean.TRUE)
            QuantizerSchedule quantizer,
            @JsonProperty("loss") LossConfig loss, @JsonProperty("optimizer") OptimizerConfig optimizer,
            @JsonProperty("data") DataConfig data, @JsonProperty("run") RunConfig run) {
        return new PretrainConfig(family, wav2vec2, wav2vec1, masking, quantizer, loss, optimizer, data, run);
    }

    /** A wav2vec 2.0 config (no wav2vec1 section): the constructor callers used before wav2vec 1.0 existed. */
    public PretrainConfig(String family, Wav2Vec2Config wav2vec2, MaskingConfig masking, QuantizerSchedule quantizer,
                          LossConfig loss, OptimizerConfig optimizer, DataConfig data, RunConfig run) {
        this(family, wav2vec2, null, masking, quantizer, loss, optimizer, data, run);
    }

    /** True for wav2vec 1.0 and vq-wav2vec. */
    @JsonIgnore
    public boolean isWav2Vec1() {
        return !family.equals(WAV2VEC2);
    }

    private static List<String> crossCheckWav2Vec1(String family, Wav2Vec1Config m, Wav2Vec2Config w2v2, MaskingConfig mask,
                                                   QuantizerSchedule q, LossConfig loss, OptimizerConfig opt, DataConfig data,
                                                   RunConfig run) {
        List<String> out = new ArrayList<>();
        if (m == null) {
            out.add("family " + family + " needs a wav2vec1 section");
            return out;
        }
        if (w2v2 != null || mask != null) {
            out.add("sections wav2vec2 and masking do not apply to family " + family);
        }
        if (family.equals(VQ_WAV2VEC) != m.quantized()) {
            out.add(family.equals(VQ_WAV2VEC) ? "family vq-wav2vec needs wav2vec1.quantizer gumbel or kmeans"
                    : "wav2vec1.quantizer " + m.quantizer() + " makes this family vq-wav2vec, not wav2vec1");
        }
        if (m.quantizer().equals(Wav2Vec1Config.GUMBEL) && q == null) {
            out.add("a Gumbel vq-wav2vec needs the quantizer section (temperature schedule)");
        } else if (!m.quantizer().equals(Wav2Vec1Config.GUMBEL) && q != null) {
            out.add("section quantizer (Gumbel temperature) does not apply to wav2vec1.quantizer " + m.quantizer());
        }
        if (loss.penaltyWeight() != 0) {
            out.add("loss.penaltyWeight is a wav2vec 2.0 term; set it to 0 for family " + family);
        }
        if (loss.levelMatched()) {
            out.add("loss.levelPool picks wav2vec 2.0's distractors by level; family " + family
                    + " draws its own, set it to 0");
        }
        if (loss.clusterTargets()) {
            out.add("loss.mfccClusters (HuBERT-style targets) applies to wav2vec 2.0 pre-training; family " + family
                    + " predicts its own features, set it to 0");
        }
        if (data.gainJittered()) {
            out.add("data.gainJitterDb is applied by wav2vec 2.0 pre-training only; set it to 0 for family " + family);
        }
        if (!m.quantized() && loss.diversityWeight() != 0) {
            out.add("loss.diversityWeight weighs the quantizer loss; wav2vec1 has no quantizer, set it to 0");
        }
        long minFrames = m.framesFor(Math.max(data.minSampleSize(), 1));
        if (minFrames <= m.effectiveOffset() + 1) {
            out.add(String.format(Locale.ROOT, "data.minSampleSize %d samples gives %d frames, too few for the prediction"
                    + " offset of %d frames; raise data.minSampleSize", data.minSampleSize(), minFrames, m.effectiveOffset()));
        }
        if (opt.warmupUpdates() > run.maxUpdates()) {
            out.add("optimizer.warmupUpdates " + opt.warmupUpdates() + " exceeds run.maxUpdates " + run.maxUpdates());
        }
        return out;
    }

    /** Frames of the shortest crop the batcher can produce. */
    public long minCropFrames() {
        return isWav2Vec1() ? wav2vec1.framesFor(Math.max(data.minSampleSize(), 1))
                : wav2vec2.framesFor(Math.max(data.minSampleSize(), 1));
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
        } else if (!loss.clusterTargets() && loss.negatives() >= mask.expectedMaskedFrames(maxFrames)) {
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
        if (isWav2Vec1()) {
            int steps = wav2vec1.predictionSteps();
            if (minFrames < wav2vec1.effectiveOffset() + steps) {
                out.add("the shortest crop (" + minFrames + " frames) is too short for all " + steps
                        + " prediction steps: the far steps get no targets in such batches");
            }
            return out;
        }
        if (loss.levelMatched() && loss.levelPool() < loss.negatives()) {
            out.add("loss.levelPool " + loss.levelPool() + " is below loss.negatives " + loss.negatives()
                    + ": each target's distractors repeat frames of a pool smaller than their number");
        }
        double masked = masking.expectedMaskedFrames(minFrames);
        if (!loss.clusterTargets() && loss.negatives() >= masked) {
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
        return new PretrainConfig(family, wav2vec2, wav2vec1, masking, quantizer, loss, optimizer, data, newRun);
    }

    public PretrainConfig withMaxUpdates(int maxUpdates) {
        return withRun(new RunConfig(maxUpdates, run.checkpointInterval(), run.keepCheckpoints(), run.seed(),
                run.nanTolerance(), run.warnAfterUpdates()));
    }
}
