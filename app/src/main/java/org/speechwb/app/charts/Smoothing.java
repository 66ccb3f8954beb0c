package org.speechwb.app.charts;

/**
 * TensorBoard's curve smoothing: an exponential moving average whose start-up bias is divided
 * out, so the smoothed curve begins at the first value instead of rising from zero. Non-finite
 * values pass through unsmoothed and do not disturb the average.
 */
public final class Smoothing {

    private Smoothing() {
    }

    /**
     * @param weight 0 (no smoothing) .. &lt;1 (heavier smoothing)
     */
    public static double[] debiasedEma(double[] y, int n, double weight) {
        double[] out = new double[n];
        if (weight <= 0) {
            System.arraycopy(y, 0, out, 0, n);
            return out;
        }
        weight = Math.min(weight, 0.999);
        double last = 0;
        int count = 0;
        for (int i = 0; i < n; i++) {
            double v = y[i];
            if (!Double.isFinite(v)) {
                out[i] = v;
                continue;
            }
            last = last * weight + (1 - weight) * v;
            count++;
            double debias = 1 - Math.pow(weight, count);
            out[i] = last / debias;
        }
        return out;
    }
}
