package org.speechwb.engine.data;

import java.nio.file.Path;
import java.util.Objects;

import org.speechwb.engine.audio.Resampler;

/**
 * One recording of a dataset, as far as its header and the dataset's metadata tell.
 *
 * <p>Sizes are kept at the file's native rate because that is what the header says; everything
 * downstream (batching, manifests) works on 16 kHz audio, so {@link #samples16k()} gives the length
 * the decoder will actually produce after resampling.
 *
 * @param id         unique within a dataset; stable across machines (never an absolute path)
 * @param audio      absolute, normalised path of the audio file
 * @param speaker    speaker label, or {@code null} when the dataset does not say
 * @param transcript the transcript, or {@code null} for unlabeled audio (blank is normalised to null)
 * @param sampleRate native sample rate in Hz
 * @param frames     native length in samples per channel
 * @param split      predefined split from corpus metadata ("train", "valid", "test", ...), or null
 */
public record Utterance(String id, Path audio, String speaker, String transcript, int sampleRate, long frames,
                        String split) {

    /** The rate the whole pipeline feeds to models. */
    public static final int MODEL_RATE = 16_000;

    public Utterance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(audio, "audio");
        if (id.isBlank()) {
            throw new IllegalArgumentException("utterance id is blank for " + audio);
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("utterance " + id + ": sample rate must be positive, got " + sampleRate);
        }
        if (frames < 0) {
            throw new IllegalArgumentException("utterance " + id + ": negative length " + frames);
        }
        speaker = blankToNull(speaker);
        transcript = blankToNull(transcript);
        split = blankToNull(split);
    }

    /** Number of samples after resampling to 16 kHz (what batching sizes are measured in). */
    public long samples16k() {
        return Resampler.outputLength(frames, sampleRate, MODEL_RATE);
    }

    /** Duration in seconds. */
    public double seconds() {
        return (double) frames / sampleRate;
    }

    /** True when a transcript is known. */
    public boolean labeled() {
        return transcript != null;
    }

    public Utterance withSplit(String newSplit) {
        return new Utterance(id, audio, speaker, transcript, sampleRate, frames, newSplit);
    }

    public Utterance withTranscript(String newTranscript) {
        return new Utterance(id, audio, speaker, newTranscript, sampleRate, frames, split);
    }

    private static String blankToNull(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }
}
