package org.speechwb.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CTC fine-tuning batches (fairseq with {@code pad=True}): rows are zero-padded to the batch's
 * longest utterance and carry their true lengths and transcripts. Nothing is cropped, because a
 * crop would cut words out of the audio but not out of the transcript; utterances longer than
 * {@code maxSampleSize} (or shorter than {@code minSampleSize}) are dropped instead. Ordering,
 * bucketing under {@code maxTokens} and batch shuffling are the same as for pre-training.
 */
public final class FinetuneBatcher extends AudioBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(FinetuneBatcher.class);

    public FinetuneBatcher(List<Utterance> utterances, BatchingConfig config, AudioCache cache) {
        this(utterances, config, cache, AudioLoader.decoder());
    }

    /** @throws IllegalArgumentException if some utterance has no transcript */
    public FinetuneBatcher(List<Utterance> utterances, BatchingConfig config, AudioCache cache, AudioLoader loader) {
        super(requireLabeled(utterances, config, true), u -> (int) u.samples16k(),
                requireLabeled(utterances, config, false), config, cache, loader);
        if (!dropped().isEmpty()) {
            LOG.info("Fine-tuning batches leave out {} utterance(s) outside {}..{} samples", dropped().size(),
                    config.minSampleSize(), config.maxSampleSize());
        }
    }

    private static List<Utterance> requireLabeled(List<Utterance> all, BatchingConfig config, boolean keep) {
        List<Utterance> out = new ArrayList<>();
        for (Utterance u : all) {
            if (!u.labeled()) {
                throw new IllegalArgumentException("fine-tuning needs a transcript for every utterance, but "
                        + u.id() + " (" + u.audio() + ") has none; fine-tune on the labeled utterances only");
            }
            long n = u.samples16k();
            boolean fits = n >= config.minSampleSize() && n <= config.maxSampleSize();
            if (fits == keep) {
                out.add(u);
            }
        }
        return out;
    }

    @Override
    AudioBatch collate(BatchPosition position, List<Utterance> rows, List<float[]> audio, List<SkippedFile> skipped,
                       Random rng) {
        // the header length bounds each row, so that maxTokens holds even if a decoder returns extra samples
        int[] lengths = new int[rows.size()];
        int longest = 0;
        for (int b = 0; b < rows.size(); b++) {
            lengths[b] = (int) Math.min(audio.get(b).length, rows.get(b).samples16k());
            longest = Math.max(longest, lengths[b]);
        }
        float[][] out = new float[rows.size()][];
        for (int b = 0; b < rows.size(); b++) {
            out[b] = copyRow(audio.get(b), 0, lengths[b], longest);
        }
        return new AudioBatch(position, rows, out, lengths, skipped);
    }
}
