package org.speechwb.engine.train;

import java.util.Locale;
import java.util.Set;

/**
 * The end of every update, the same in all training loops: an update whose loss or gradient is
 * not finite is skipped and reported (one bad batch must not poison the weights), a finite one
 * is clipped to the global gradient norm and applied. It counts the skipped updates in a row so
 * that the loop can stop after {@code run.nanTolerance} of them.
 */
final class GuardedStep {

    private final TrainingLoop loop;
    private final AdamW adam;
    private final double clipNorm;
    private final int tolerance;
    private int inARow;

    GuardedStep(TrainingLoop loop, AdamW adam, double clipNorm, int tolerance) {
        this.loop = loop;
        this.adam = adam;
        this.clipNorm = clipNorm;
        this.tolerance = tolerance;
    }

    /**
     * Applies the accumulated gradient, or skips the update.
     *
     * @param update the number of updates done before this one
     * @param frozen parameters the optimiser leaves untouched (null: none)
     * @return whether the update was applied
     */
    boolean apply(double loss, double gradNorm, double lr, Set<String> frozen, int update) {
        if (Double.isFinite(loss) && Double.isFinite(gradNorm)) {
            inARow = 0;
            if (clipNorm > 0 && gradNorm > clipNorm) {
                adam.scaleGrads(clipNorm / gradNorm);
            }
            adam.step(lr, frozen);
            return true;
        }
        inARow++;
        loop.warn(TrainingEvent.Warning.Kind.NON_FINITE, String.format(Locale.ROOT,
                "non-finite %s at update %d: update skipped (%d in a row, limit %d)",
                Double.isFinite(loss) ? "gradient" : "loss", update + 1, inARow, tolerance), update);
        return false;
    }

    /** True once {@code run.nanTolerance} updates in a row were skipped: the run should stop. */
    boolean exhausted() {
        return inARow >= tolerance;
    }

    /** Why the run stops, for its status and the user. */
    String failureMessage(int update) {
        return inARow + " consecutive updates had a non-finite loss or gradient (last at update " + (update + 1)
                + "); lower the learning rate, enable optimizer.clipNorm or check the data."
                + " The last good checkpoint is kept.";
    }
}
