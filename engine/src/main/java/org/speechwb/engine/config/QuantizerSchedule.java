package org.speechwb.engine.config;

/**
 * Gumbel-softmax temperature τ = max(start · decay^update, end) (fairseq
 * {@code latent_temp = (2, 0.5, 0.999995)}; LARGE ends at 0.1).
 */
public record QuantizerSchedule(double startTemperature, double endTemperature, double decay) {

    public QuantizerSchedule {
        if (!(startTemperature > 0) || !(endTemperature > 0)) {
            throw new IllegalArgumentException("quantizer temperatures must be positive, got start " + startTemperature
                    + ", end " + endTemperature);
        }
        if (endTemperature > startTemperature) {
            throw new IllegalArgumentException("quantizer temperature schedule ends at " + endTemperature
                    + ", above its start " + startTemperature + ": the temperature anneals downwards");
        }
        if (!(decay > 0 && decay <= 1)) {
            throw new IllegalArgumentException("quantizer.decay must be in (0, 1], got " + decay);
        }
    }

    public static QuantizerSchedule reference() {
        return new QuantizerSchedule(2.0, 0.5, 0.999995);
    }

    public double temperature(long update) {
        return Math.max(startTemperature * Math.pow(decay, update), endTemperature);
    }
}
