package org.speechwb.engine.data;

import java.util.ArrayList;
import java.util.List;

/**
 * One batch of 16 kHz audio, rows of equal length {@link #length()}.
 *
 * @param position   which batch of which epoch this is
 * @param utterances the utterances in row order (ids and transcripts come from here)
 * @param audio      {@code [B][T]} samples; pre-training rows are crops, fine-tuning rows are zero-padded
 * @param lengths    valid samples per row ({@code T} for every crop; the unpadded length when padded)
 * @param skipped    files of this batch that failed to decode and were left out
 */
public record AudioBatch(BatchPosition position, List<Utterance> utterances, float[][] audio, int[] lengths,
                         List<SkippedFile> skipped) {

    public AudioBatch {
        utterances = List.copyOf(utterances);
        skipped = List.copyOf(skipped);
        if (audio.length != utterances.size() || lengths.length != utterances.size()) {
            throw new IllegalArgumentException("batch rows disagree: " + utterances.size() + " utterances, "
                    + audio.length + " audio rows, " + lengths.length + " lengths");
        }
    }

    /** Number of rows B. */
    public int size() {
        return audio.length;
    }

    /** Row length T (0 for an empty batch). */
    public int length() {
        return audio.length == 0 ? 0 : audio[0].length;
    }

    /** B × T, the quantity bounded by {@link BatchingConfig#maxTokens()}. */
    public long samples() {
        return (long) size() * length();
    }

    public List<String> ids() {
        return utterances.stream().map(Utterance::id).toList();
    }

    /** Transcripts in row order (null entries for unlabeled utterances). */
    public List<String> transcripts() {
        List<String> out = new ArrayList<>(utterances.size());
        for (Utterance u : utterances) {
            out.add(u.transcript());
        }
        return out;
    }

    /** The rows concatenated, row-major {@code [B*T]}, for tensor libraries that take flat buffers. */
    public float[] flat() {
        int t = length();
        float[] out = new float[size() * t];
        for (int b = 0; b < audio.length; b++) {
            System.arraycopy(audio[b], 0, out, b * t, t);
        }
        return out;
    }
}
