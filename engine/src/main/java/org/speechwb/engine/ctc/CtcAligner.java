package org.speechwb.engine.ctc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.speechwb.engine.text.Vocabulary;

/**
 * CTC forced alignment: the single most likely frame path that spells a given transcript
 * (Viterbi over the blank-interleaved target {@code _ l1 _ l2 … _}, the max-product version of
 * the CTC forward recursion), turned into letter and word segments.
 *
 * <p>This is how CTC models are used to time-stamp transcripts (e.g. torchaudio's
 * {@code forced_align}, the MMS aligner). Boundaries are as precise as the model's posteriors
 * are peaky: CTC tends to emit a letter on one or two frames and blank elsewhere, so a segment
 * marks where the model fired, not the full acoustic extent of the sound.
 */
public final class CtcAligner {

    private final Vocabulary vocabulary;

    public CtcAligner(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /**
     * Aligns a transcript (encoded as fairseq letter targets, {@code "|"} after every word).
     *
     * @throws AlignmentException if it cannot be aligned
     */
    public Alignment align(float[][] logProbs, String transcript, double frameSeconds) {
        return align(logProbs, vocabulary.encode(transcript), frameSeconds);
    }

    /**
     * Aligns a token sequence.
     *
     * @param logProbs     {@code [frames][classes]} log-posteriors (log-softmax of the logits)
     * @param frameSeconds seconds per frame, for the times in the segments
     * @throws AlignmentException if it cannot be aligned
     */
    public Alignment align(float[][] logProbs, int[] tokens, double frameSeconds) {
        int frames = logProbs.length;
        int required = CtcLoss.requiredFrames(tokens);
        if (required > frames) {
            throw new AlignmentException(String.format("the transcript needs at least %d frames (%d tokens, %d pairs of "
                            + "equal neighbours that need a blank between them) but the utterance has only %d",
                    required, tokens.length, required - tokens.length, frames), required, frames);
        }
        int blank = vocabulary.blank();
        for (int k : tokens) {
            if (k == blank || k < 0 || k >= vocabulary.size()) {
                throw new IllegalArgumentException("token id " + k + " cannot be an alignment target");
            }
        }
        for (int t = 0; t < frames; t++) {
            if (logProbs[t].length != vocabulary.size()) {
                throw new IllegalArgumentException("frame " + t + " has " + logProbs[t].length
                        + " classes but the vocabulary has " + vocabulary.size());
            }
        }
        if (tokens.length == 0) {
            return blankOnly(logProbs, frameSeconds);
        }
        int states = 2 * tokens.length + 1;
        int[] label = new int[states];
        for (int s = 0; s < states; s++) {
            label[s] = s % 2 == 0 ? blank : tokens[s / 2];
        }
        int[][] back = new int[frames][states];
        double[] prev = new double[states];
        double[] cur = new double[states];
        Arrays.fill(prev, Double.NEGATIVE_INFINITY);
        prev[0] = logProbs[0][label[0]];
        prev[1] = logProbs[0][label[1]];
        for (int t = 1; t < frames; t++) {
            float[] lp = logProbs[t];
            // states that can still reach the end in time, and that can have been reached by now
            int lo = Math.max(0, states - 2 * (frames - t));
            int hi = Math.min(states - 1, 2 * t + 1);
            Arrays.fill(cur, Double.NEGATIVE_INFINITY);
            for (int s = lo; s <= hi; s++) {
                double best = prev[s];
                int from = s;
                if (s >= 1 && prev[s - 1] > best) {
                    best = prev[s - 1];
                    from = s - 1;
                }
                if (s >= 2 && label[s] != blank && label[s] != label[s - 2] && prev[s - 2] > best) {
                    best = prev[s - 2];
                    from = s - 2;
                }
                cur[s] = best + lp[label[s]];
                back[t][s] = from;
            }
            double[] swap = prev;
            prev = cur;
            cur = swap;
        }
        int end = prev[states - 1] >= prev[states - 2] ? states - 1 : states - 2;
        double total = prev[end];
        if (total == Double.NEGATIVE_INFINITY) {
            throw new AlignmentException("no path spelling the transcript has a non-zero probability (some target token "
                    + "has log-probability −∞ wherever it could go)", required, frames);
        }
        int[] statePath = new int[frames];
        statePath[frames - 1] = end;
        for (int t = frames - 1; t > 0; t--) {
            statePath[t - 1] = back[t][statePath[t]];
        }
        return segments(logProbs, statePath, label, tokens, total, frameSeconds);
    }

    private Alignment blankOnly(float[][] logProbs, double frameSeconds) {
        double total = 0;
        for (float[] lp : logProbs) {
            total += lp[vocabulary.blank()];
        }
        return new Alignment(total, new int[logProbs.length], List.of(), List.of(), frameSeconds);
    }

    private Alignment segments(float[][] logProbs, int[] statePath, int[] label, int[] tokens, double total,
                               double frameSeconds) {
        int frames = statePath.length;
        int[] framePath = new int[frames];
        int[] start = new int[tokens.length];
        int[] end = new int[tokens.length];
        double[] sum = new double[tokens.length];
        Arrays.fill(start, -1);
        for (int t = 0; t < frames; t++) {
            int s = statePath[t];
            framePath[t] = label[s];
            if (s % 2 == 1) {
                int i = s / 2;
                if (start[i] < 0) {
                    start[i] = t;
                }
                end[i] = t + 1;
                sum[i] += logProbs[t][label[s]];
            }
        }
        List<TokenSegment> segs = new ArrayList<>(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            segs.add(new TokenSegment(i, tokens[i], vocabulary.token(tokens[i]), start[i], end[i],
                    start[i] * frameSeconds, end[i] * frameSeconds, sum[i] / (end[i] - start[i])));
        }
        List<WordSegment> words = new ArrayList<>();
        int boundary = vocabulary.wordBoundary();
        int first = -1;
        StringBuilder word = new StringBuilder();
        double wordSum = 0;
        int wordFrames = 0;
        for (int i = 0; i <= tokens.length; i++) {
            if (i == tokens.length || tokens[i] == boundary) {
                if (first >= 0) {
                    int last = i - 1;
                    words.add(new WordSegment(word.toString(), start[first], end[last], start[first] * frameSeconds,
                            end[last] * frameSeconds, first, last, wordSum / wordFrames));
                }
                first = -1;
                word.setLength(0);
                wordSum = 0;
                wordFrames = 0;
                continue;
            }
            if (first < 0) {
                first = i;
            }
            word.append(vocabulary.token(tokens[i]));
            wordSum += sum[i];
            wordFrames += end[i] - start[i];
        }
        return new Alignment(total, framePath, List.copyOf(segs), List.copyOf(words), frameSeconds);
    }
}
