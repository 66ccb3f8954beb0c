package org.speechwb.engine.config;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.OptBoolean;

import org.speechwb.engine.eval.ModelSelection;
import org.speechwb.engine.model.w2v2.Wav2Vec2Config;

/**
 * CTC fine-tuning of wav2vec 2.0 (fairseq's audio_finetuning task with the ctc criterion).
 *
 * @param pretrained          pre-training checkpoint or run folder to start from; empty to train
 *                            from random initialisation (the baseline)
 * @param wav2vec2            architecture; with a pre-trained model its shapes must match the
 *                            checkpoint's (dropouts and LayerDrop may differ: fine-tuning sets its own)
 * @param vocabulary          "english-letters" (shipped), "transcripts" (built from the training
 *                            transcripts) or a vocabulary file
 * @param masking             time masking during fine-tuning (fairseq mask_prob / mask_length)
 * @param channelMaskProb     share of feature channels masked (mask_channel_prob)
 * @param channelMaskLength   channel span length (mask_channel_length, 64)
 * @param finalDropout        dropout before the CTC head
 * @param freezeUpdates       updates during which only the CTC head trains (freeze_finetune_updates)
 * @param freezeFeatureEncoder keep the convolutional feature encoder fixed throughout (the reference)
 * @param validationInterval  updates between validation WER measurements (0: only at the end)
 * @param selection           how the best checkpoint ({@code best.ckpt}) is chosen on validation;
 *                            absent (a config written before the choice existed) is the rule of
 *                            that time, {@link ModelSelection#WER_FLOOR}; the shipped presets name
 *                            {@link ModelSelection#SOFT_FLOOR}
 */
public record FinetuneConfig(String pretrained, Wav2Vec2Config wav2vec2, String vocabulary, MaskingConfig masking,
                             double channelMaskProb, int channelMaskLength, double finalDropout, int freezeUpdates,
                             boolean freezeFeatureEncoder, OptimizerConfig optimizer, DataConfig data, RunConfig run,
                             int validationInterval, ModelSelection selection) {

    public FinetuneConfig {
        pretrained = pretrained == null ? "" : pretrained;
        selection = selection == null ? ModelSelection.WER_FLOOR : selection;
        vocabulary = vocabulary == null || vocabulary.isBlank() ? "english-letters" : vocabulary;
        List<String> problems = new ArrayList<>();
        if (wav2vec2 == null || masking == null || optimizer == null || data == null || run == null) {
            throw new IllegalArgumentException("a fine-tuning config needs the sections wav2vec2, masking, optimizer,"
                    + " data and run");
        }
        if (channelMaskProb < 0 || channelMaskProb > 1) {
            problems.add("channelMaskProb must be in [0, 1], got " + channelMaskProb);
        }
        if (channelMaskLength < 1 || channelMaskLength > wav2vec2.modelDim()) {
            problems.add("channelMaskLength must be between 1 and modelDim " + wav2vec2.modelDim() + ", got "
                    + channelMaskLength);
        }
        if (finalDropout < 0 || finalDropout >= 1) {
            problems.add("finalDropout must be in [0, 1), got " + finalDropout);
        }
        if (freezeUpdates < 0 || freezeUpdates >= run.maxUpdates()) {
            problems.add("freezeUpdates " + freezeUpdates + " must be below run.maxUpdates " + run.maxUpdates());
        }
        if (validationInterval < 0) {
            problems.add("validationInterval cannot be negative");
        }
        if (data.gainJittered()) {
            problems.add("data.gainJitterDb lays a loudness contour over pre-training crops only; set it to 0 here");
        }
        long minFrames = wav2vec2.framesFor(Math.max(1, data.minSampleSize()));
        if (masking.maskProb() > 0 && data.minSampleSize() > 0 && masking.maskLength() >= minFrames) {
            problems.add("mask span of " + masking.maskLength() + " frames is not shorter than the shortest utterance ("
                    + minFrames + " frames at data.minSampleSize)");
        }
        if (optimizer.schedule().equals("tri_stage") && optimizer.warmupUpdates() + optimizer.holdUpdates() > run.maxUpdates()) {
            problems.add("tri-stage warm-up + hold exceed run.maxUpdates");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid fine-tuning config: " + String.join("; ", problems));
        }
    }

    /** Injection id that makes {@code selection} optional when reading (absent: the rule of older configs). */
    static final String ABSENT_SELECTION = "speechwb.finetune.absent-selection";

    @JsonCreator
    static FinetuneConfig fromJson(@JsonProperty("pretrained") String pretrained,
                                   @JsonProperty("wav2vec2") Wav2Vec2Config wav2vec2,
                                   @JsonProperty("vocabulary") String vocabulary,
                                   @JsonProperty("masking") MaskingConfig masking,
                                   @JsonProperty("channelMaskProb") double channelMaskProb,
                                   @JsonProperty("channelMaskLength") int channelMaskLength,
                                   @JsonProperty("finalDropout") double finalDropout,
                                   @JsonProperty("freezeUpdates") int freezeUpdates,
                                   @JsonProperty("freezeFeatureEncoder") boolean freezeFeatureEncoder,
                                   @JsonProperty("optimizer") OptimizerConfig optimizer,
                                   @JsonProperty("data") DataConfig data,
                                   @JsonProperty("run") RunConfig run,
                                   @JsonProperty("validationInterval") int validationInterval,
                                   @JsonProperty("selection")
                                   @JacksonInject(value = ABSENT_SELECTION, useInput = OptBoolean.TRUE)
                                   ModelSelection selection) {
        return new FinetuneConfig(pretrained, wav2vec2, vocabulary, masking, channelMaskProb, channelMaskLength,
                finalDropout, freezeUpdates, freezeFeatureEncoder, optimizer, data, run, validationInterval, selection);
    }

    public boolean fromScratch() {
        return pretrained.isBlank();
    }

    public FinetuneConfig withPretrained(String path) {
        return new FinetuneConfig(path, wav2vec2, vocabulary, masking, channelMaskProb, channelMaskLength, finalDropout,
                freezeUpdates, freezeFeatureEncoder, optimizer, data, run, validationInterval, selection);
    }

    public FinetuneConfig withModel(Wav2Vec2Config model) {
        return new FinetuneConfig(pretrained, model, vocabulary, masking, channelMaskProb, channelMaskLength,
                finalDropout, freezeUpdates, freezeFeatureEncoder, optimizer, data, run, validationInterval, selection);
    }

    public FinetuneConfig withSelection(ModelSelection rule) {
        return new FinetuneConfig(pretrained, wav2vec2, vocabulary, masking, channelMaskProb, channelMaskLength,
                finalDropout, freezeUpdates, freezeFeatureEncoder, optimizer, data, run, validationInterval, rule);
    }
}
