package org.speechwb.engine.corpus;

/**
 * Signal chores between the TTS program and the FLAC file: trimming silence at the edges and
 * setting the peak level.
 *
 * <p>TTS programs pad their output with silence of a fixed, voice-specific length. Left in, it
 * would waste bytes of the bundled corpus and teach a model that silence length identifies the
 * voice; removed completely, it would clip weak onsets and leave no pause for CTC's blank. So
 * each edge gets a chosen 100-200 ms: cut from what the program produced, or padded with digital
 * silence where it produced less (espeak-ng starts speaking at its first sample).
 */
public final class AudioPostProcessor {

    /** Analysis frame for finding speech, in seconds. */
    static final double FRAME_SECONDS = 0.010;
    /**
     * A frame is speech if its RMS is within this many dB of the loudest frame. flite's awb voice
     * has a noise floor about 45-55 dB below its loudest frame, so -40 dB separates it from speech;
     * weak onsets just below the threshold are still inside the kept edge silence.
     */
    static final double SPEECH_THRESHOLD_DB = -40.0;
    /** RMS below this is treated as digital silence even in a very quiet file. */
    private static final double ABSOLUTE_FLOOR = 1e-4;

    private AudioPostProcessor() {
    }

    /**
     * The speech of {@code samples} (first to last frame above the threshold) with exactly
     * {@code leadSeconds} before it and {@code trailSeconds} after it, taken from the input where
     * it has that much and padded with zeros where it has not. Returns the input unchanged if no
     * frame rises above the threshold.
     */
    public static float[] fitEdgeSilence(float[] samples, int sampleRate, double leadSeconds, double trailSeconds) {
        int frame = Math.max(1, (int) Math.round(FRAME_SECONDS * sampleRate));
        int frames = samples.length / frame + (samples.length % frame == 0 ? 0 : 1);
        double[] rms = new double[frames];
        double loudest = 0;
        for (int f = 0; f < frames; f++) {
            int from = f * frame;
            int to = Math.min(samples.length, from + frame);
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += (double) samples[i] * samples[i];
            }
            rms[f] = Math.sqrt(sum / (to - from));
            loudest = Math.max(loudest, rms[f]);
        }
        double threshold = Math.max(ABSOLUTE_FLOOR, loudest * Math.pow(10, SPEECH_THRESHOLD_DB / 20));
        int first = -1;
        int last = -1;
        for (int f = 0; f < frames; f++) {
            if (rms[f] >= threshold) {
                if (first < 0) {
                    first = f;
                }
                last = f;
            }
        }
        if (first < 0) {
            return samples;
        }
        int speechStart = first * frame;
        int speechEnd = Math.min(samples.length, (last + 1) * frame);
        int lead = (int) Math.round(leadSeconds * sampleRate);
        int trail = (int) Math.round(trailSeconds * sampleRate);
        int from = Math.max(0, speechStart - lead);
        int to = Math.min(samples.length, speechEnd + trail);
        float[] out = new float[lead + (speechEnd - speechStart) + trail];
        System.arraycopy(samples, from, out, lead - (speechStart - from), to - from);
        return out;
    }

    /** Largest absolute sample value. */
    public static float peak(float[] samples) {
        float peak = 0;
        for (float s : samples) {
            peak = Math.max(peak, Math.abs(s));
        }
        return peak;
    }

    /**
     * Scales {@code samples} in place so that the peak sits at {@code peakDbfs} (e.g. -3.0).
     *
     * @throws IllegalArgumentException if the signal is all zeros, which no speech file should be
     */
    public static void normalizePeak(float[] samples, double peakDbfs) {
        float peak = peak(samples);
        if (peak == 0) {
            throw new IllegalArgumentException("cannot normalise a silent signal");
        }
        float gain = (float) (Math.pow(10, peakDbfs / 20) / peak);
        for (int i = 0; i < samples.length; i++) {
            samples[i] *= gain;
        }
    }
}
