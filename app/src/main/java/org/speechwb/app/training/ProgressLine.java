package org.speechwb.app.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.UpdateMetrics;

/** The Training screen's progress line: where the run is, its ETA and its throughput. */
final class ProgressLine {

    /** Updates averaged for ETA and throughput: recent enough to follow crop-length changes, long enough to be steady. */
    static final int RATE_WINDOW = 20;

    private ProgressLine() {
    }

    /** The timing fields both kinds of update share. */
    private record Step(int update, double seconds, double audioSecondsPerSecond, double elapsedSeconds) {
    }

    /** The same line for a fine-tuning run. */
    static String ofFinetuning(List<FinetuneMetrics> m, int max, boolean running) {
        return stepLine(steps(m), max, running);
    }

    private static List<Step> steps(List<FinetuneMetrics> m) {
        List<Step> out = new ArrayList<>();
        for (int i = Math.max(0, m.size() - RATE_WINDOW); i < m.size(); i++) {
            FinetuneMetrics f = m.get(i);
            out.add(new Step(f.update(), f.seconds(), f.audioSecondsPerSecond(), f.elapsedSeconds()));
        }
        return out;
    }

    /** The progress line of a pre-training run: update n/N, percentage, ETA from recent updates, throughput. */
    static String of(List<UpdateMetrics> m, int max, boolean running) {
        List<Step> out = new ArrayList<>();
        for (int i = Math.max(0, m.size() - RATE_WINDOW); i < m.size(); i++) {
            UpdateMetrics u = m.get(i);
            out.add(new Step(u.update(), u.seconds(), u.audioSecondsPerSecond(), u.elapsedSeconds()));
        }
        return stepLine(out, max, running);
    }

    private static String stepLine(List<Step> m, int max, boolean running) {
        if (m.isEmpty()) {
            return max > 0 ? "update 0 / " + max : "";
        }
        Step last = m.get(m.size() - 1);
        int from = Math.max(0, m.size() - RATE_WINDOW);
        double seconds = 0;
        double audio = 0;
        for (int i = from; i < m.size(); i++) {
            seconds += m.get(i).seconds();
            audio += m.get(i).audioSecondsPerSecond() * m.get(i).seconds();
        }
        int k = m.size() - from;
        double perUpdate = seconds / k;
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "update %,d", last.update()));
        if (max > 0) {
            sb.append(String.format(Locale.ROOT, " / %,d (%.0f %%)", max, 100.0 * last.update() / max));
        }
        // an external run's log may carry no timings: say nothing rather than NaN
        if (Double.isFinite(perUpdate)) {
            if (running && max > last.update()) {
                sb.append(" · ETA ").append(duration(perUpdate * (max - last.update())));
            }
            sb.append(String.format(Locale.ROOT, " · %.1f audio-s/s · %.2f s/update",
                    seconds > 0 ? audio / seconds : 0, perUpdate));
        }
        if (Double.isFinite(last.elapsedSeconds())) {
            sb.append(" · elapsed ").append(duration(last.elapsedSeconds()));
        }
        return sb.toString();
    }

    static String duration(double s) {
        long t = Math.round(s);
        if (t >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t / 60) % 60, t % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    }
}
