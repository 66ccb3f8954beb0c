package org.speechwb.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-supervised pre-training batches with fairseq's {@code RawAudioDataset} semantics
 * (no padding): utterances shorter than {@code minSampleSize} are dropped; ordering and
 * bucketing use {@code min(size, maxSampleSize)}; every row of a batch is cropped at a random
 * start to the batch's shortest utterance (and at most {@code maxSampleSize}), so no compute is
 * spent on padding and the model sees different windows of long utterances in different epochs.
 */
public final class PretrainBatcher extends AudioBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(PretrainBatcher.class);

    public PretrainBatcher(List<Utterance> utterances, BatchingConfig config, AudioCache cache) {
        this(utterances, config, cache, AudioLoader.decoder());
    }

    public PretrainBatcher(List<Utterance> utterances, BatchingConfig config, AudioCache cache, AudioLoader loader) {
        super(longEnough(utterances, config, true), u -> (int) Math.min(u.samples16k(), config.maxSampleSize()),
                longEnough(utterances, config, false), config, cache, loader);
        if (!dropped().isEmpty()) {
            LOG.info("Pre-training batches leave out {} utterance(s) shorter than {} samples", dropped().size(),
                    config.minSampleSize());
        }
    }

    private static List<Utterance> longEnough(List<Utterance> all, BatchingConfig config, boolean keep) {
        List<Utterance> out = new ArrayList<>();
        for (Utterance u : all) {
            if ((u.samples16k() >= config.minSampleSize()) == keep) {
                out.add(u);
            }
        }
        return out;
    }

    @Override
    AudioBatch collate(BatchPosition position, List<Utterance> rows, List<float[]> audio, List<SkippedFile> skipped,
                       Random rng) {
        int target = config.maxSampleSize();
        for (int b = 0; b < rows.size(); b++) {
            // the header length bounds the row too, so that maxTokens holds even if a decoder returns extra samples
            target = (int) Math.min(target, Math.min(audio.get(b).length, rows.get(b).samples16k()));
        }
        float[][] out = new float[rows.size()][];
        int[] lengths = new int[rows.size()];
        for (int b = 0; b < rows.size(); b++) {
            float[] src = audio.get(b);
            int start = rng.nextInt(src.length - target + 1);
            out[b] = copyRow(src, start, target, target);
            lengths[b] = target;
        }
        return new AudioBatch(position, rows, out, lengths, skipped);
    }
}
