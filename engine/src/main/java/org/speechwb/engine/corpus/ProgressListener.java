package org.speechwb.engine.corpus;

/** Told after each accepted utterance, so a CLI or UI can show how far a long build has come. */
@FunctionalInterface
public interface ProgressListener {

    ProgressListener NONE = (split, utterances, seconds, targetSeconds) -> { };

    /**
     * @param utterances    utterances accepted so far in {@code split}
     * @param seconds       their total duration
     * @param targetSeconds the split's target duration
     */
    void onProgress(CorpusSplit split, int utterances, double seconds, double targetSeconds);
}
