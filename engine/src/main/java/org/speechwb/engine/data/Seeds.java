package org.speechwb.engine.data;

/**
 * Derives independent seeds from (seed, epoch, batch index) with the SplitMix64 finaliser, so that
 * each batch's random crops depend only on its coordinates and can be recomputed when resuming.
 */
final class Seeds {

    private Seeds() {
    }

    static long mix(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h = finalise(h ^ finalise(p + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
