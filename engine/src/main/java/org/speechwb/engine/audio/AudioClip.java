package org.speechwb.engine.audio;

/** Mono audio as float samples in [-1, 1] at a given rate. The array is not copied. */
public record AudioClip(float[] samples, int sampleRate) {

    public double durationSeconds() {
        return (double) samples.length / sampleRate;
    }
}
