package org.speechwb.engine.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a researcher checks before training on a dataset: how much audio, how long the utterances
 * are (against the crop length), how many speakers, how much is labeled, which sample rates will
 * be resampled, and what the scan left out.
 *
 * @param utterances       number of usable utterances
 * @param totalSeconds     their total duration
 * @param histogram        utterance counts per duration bin, bins as in {@link #binEdgesSeconds()}
 * @param speakerSeconds   seconds per known speaker, by name
 * @param unknownSpeaker   utterances without a speaker
 * @param labeled          utterances with a transcript
 * @param labeledSeconds   their total duration
 * @param sampleRates      utterance count per native sample rate
 * @param skipped          what the scan left out, with reasons
 * @param warnings         non-fatal remarks from the scan
 */
public record DatasetSummary(int utterances, double totalSeconds, int[] histogram, Map<String, Double> speakerSeconds,
                             int unknownSpeaker, int labeled, double labeledSeconds, Map<Integer, Integer> sampleRates,
                             List<SkippedFile> skipped, List<String> warnings) {

    /**
     * Lower edges of the duration bins in seconds; the last bin is open-ended. The edges at 15 and
     * 20 s bracket wav2vec 2.0's default crop (250 000 samples = 15.6 s).
     */
    private static final double[] BIN_EDGES_SECONDS = {0, 1, 2, 5, 10, 15, 20, 30};

    private static final int MAX_LISTED_SKIPS = 50;

    public DatasetSummary {
        histogram = histogram.clone();
        speakerSeconds = Collections.unmodifiableMap(new TreeMap<>(speakerSeconds));
        sampleRates = Collections.unmodifiableMap(new TreeMap<>(sampleRates));
        skipped = List.copyOf(skipped);
        warnings = List.copyOf(warnings);
    }

    public static DatasetSummary of(Dataset dataset) {
        return of(dataset.utterances(), dataset.skipped(), dataset.warnings());
    }

    public static DatasetSummary of(List<Utterance> utterances, List<SkippedFile> skipped, List<String> warnings) {
        int[] hist = new int[BIN_EDGES_SECONDS.length];
        Map<String, Double> speakers = new TreeMap<>();
        Map<Integer, Integer> rates = new TreeMap<>();
        double total = 0;
        double labeledSeconds = 0;
        int labeled = 0;
        int unknown = 0;
        for (Utterance u : utterances) {
            double s = u.seconds();
            total += s;
            hist[binOf(s)]++;
            if (u.speaker() == null) {
                unknown++;
            } else {
                speakers.merge(u.speaker(), s, Double::sum);
            }
            if (u.labeled()) {
                labeled++;
                labeledSeconds += s;
            }
            rates.merge(u.sampleRate(), 1, Integer::sum);
        }
        return new DatasetSummary(utterances.size(), total, hist, speakers, unknown, labeled, labeledSeconds, rates,
                skipped, warnings);
    }

    /** Lower edges of the duration bins in seconds (the last bin is open-ended). */
    public static double[] binEdgesSeconds() {
        return BIN_EDGES_SECONDS.clone();
    }

    /** Index of the bin holding an utterance of {@code seconds}. */
    public static int binOf(double seconds) {
        int bin = 0;
        while (bin + 1 < BIN_EDGES_SECONDS.length && seconds >= BIN_EDGES_SECONDS[bin + 1]) {
            bin++;
        }
        return bin;
    }

    /** Label of bin {@code i}, e.g. "2-5 s" or "30+ s". */
    public static String binLabel(int i) {
        String lo = fmtEdge(BIN_EDGES_SECONDS[i]);
        return i + 1 < BIN_EDGES_SECONDS.length ? lo + "-" + fmtEdge(BIN_EDGES_SECONDS[i + 1]) + " s" : lo + "+ s";
    }

    @Override
    public int[] histogram() {
        return histogram.clone();
    }

    public double totalHours() {
        return totalSeconds / 3600.0;
    }

    public int speakers() {
        return speakerSeconds.size();
    }

    /** Share of utterances that are labeled, 0..1 (0 for an empty dataset). */
    public double labeledShareByCount() {
        return utterances == 0 ? 0 : (double) labeled / utterances;
    }

    /** Share of audio duration that is labeled, 0..1 (0 for an empty dataset). */
    public double labeledShareByDuration() {
        return totalSeconds == 0 ? 0 : labeledSeconds / totalSeconds;
    }

    /** A plain-text report for the CLI and logs. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Utterances:     %d (%s, %.3f h)%n", utterances, hms(totalSeconds),
                totalHours()));
        if (utterances > 0) {
            sb.append(String.format(Locale.ROOT, "Mean duration:  %.2f s%n", totalSeconds / utterances));
        }
        sb.append(String.format(Locale.ROOT, "Labeled:        %d of %d (%.1f%% by count, %.1f%% by duration, %s)%n",
                labeled, utterances, 100 * labeledShareByCount(), 100 * labeledShareByDuration(), hms(labeledSeconds)));
        sb.append("Sample rates:  ");
        sampleRates.forEach((rate, n) -> sb.append(' ').append(rate).append(" Hz x").append(n));
        sb.append(String.format("%n"));
        sb.append("Durations:").append(String.format("%n"));
        int max = 0;
        for (int h : histogram) {
            max = Math.max(max, h);
        }
        for (int i = 0; i < histogram.length; i++) {
            int bar = max == 0 ? 0 : (int) Math.round(40.0 * histogram[i] / max);
            sb.append(String.format(Locale.ROOT, "  %-8s %7d %s%n", binLabel(i), histogram[i], "#".repeat(bar)));
        }
        sb.append(String.format(Locale.ROOT, "Speakers:       %d known%s%n", speakers(),
                unknownSpeaker > 0 ? ", " + unknownSpeaker + " utterance(s) with unknown speaker" : ""));
        int shown = 0;
        for (Map.Entry<String, Double> e : speakerSeconds.entrySet()) {
            if (shown++ == 20) {
                sb.append(String.format("  ... %d more%n", speakerSeconds.size() - 20));
                break;
            }
            sb.append(String.format(Locale.ROOT, "  %-20s %s%n", e.getKey(), hms(e.getValue())));
        }
        sb.append(String.format("Skipped:        %d%s%n", skipped.size(),
                skipped.isEmpty() ? "" : " " + skippedByReason()));
        for (int i = 0; i < skipped.size(); i++) {
            if (i == MAX_LISTED_SKIPS) {
                sb.append(String.format("  ... %d more%n", skipped.size() - MAX_LISTED_SKIPS));
                break;
            }
            sb.append("  ").append(skipped.get(i).describe()).append(String.format("%n"));
        }
        if (!warnings.isEmpty()) {
            sb.append(String.format("Warnings:%n"));
            for (String w : warnings) {
                sb.append("  ").append(w).append(String.format("%n"));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    /** Counts of skipped files per reason, for compact displays. */
    public Map<SkippedFile.Reason, Integer> skippedByReason() {
        Map<SkippedFile.Reason, Integer> m = new TreeMap<>();
        for (SkippedFile s : skipped) {
            m.merge(s.reason(), 1, Integer::sum);
        }
        return m;
    }

    /** Speakers sorted by descending duration (ties by name). */
    public List<String> speakersByDuration() {
        List<String> names = new ArrayList<>(speakerSeconds.keySet());
        names.sort((a, b) -> Double.compare(speakerSeconds.get(b), speakerSeconds.get(a)));
        return names;
    }

    /** "12.3 s" under a minute, else "h:mm:ss". */
    static String hms(double seconds) {
        if (seconds < 59.95) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }

    private static String fmtEdge(double e) {
        return e == Math.rint(e) ? Long.toString((long) e) : Double.toString(e);
    }
}
