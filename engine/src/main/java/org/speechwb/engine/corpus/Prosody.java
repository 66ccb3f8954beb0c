package org.speechwb.engine.corpus;

/**
 * Speaking-rate and pitch factors for one utterance, relative to the voice's own defaults
 * (1.0 = unchanged). Each engine maps them onto its own controls; relative factors keep the
 * recipe engine-neutral and make "10 % faster" mean the same for every voice.
 */
public record Prosody(double speed, double pitch) {

    public static final Prosody NEUTRAL = new Prosody(1.0, 1.0);

    public Prosody {
        if (!(speed > 0.25 && speed < 4) || !(pitch > 0.25 && pitch < 4)) {
            throw new IllegalArgumentException("prosody factors out of range: speed " + speed + ", pitch " + pitch);
        }
    }
}
