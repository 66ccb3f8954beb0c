package org.speechwb.engine.corpus;

/**
 * An utterance as written: where its FLAC is, how long it is, and the random draws that shaped
 * it (kept so corpus statistics can be checked against the recipe).
 *
 * @param path    '/'-separated, relative to the corpus folder
 * @param samples at 16 kHz
 */
public record SynthesizedUtterance(PlannedUtterance planned, String path, int samples, Prosody prosody, double peakDbfs) {

    public double seconds() {
        return (double) samples / CorpusLayout.SAMPLE_RATE;
    }
}
