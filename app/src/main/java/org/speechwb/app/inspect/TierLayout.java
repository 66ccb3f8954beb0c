package org.speechwb.app.inspect;

import java.util.ArrayList;
import java.util.List;

import org.speechwb.engine.ctc.TokenSegment;
import org.speechwb.engine.ctc.WordSegment;
import org.speechwb.engine.inspect.Inspection;

/**
 * Where each mark of an inspection goes on screen, computed from the shared {@link SampleAxis}
 * alone. The canvas paints exactly these rectangles, so tests can check geometry against the
 * mapping without reading pixels back.
 *
 * <p>Mask shading covers the samples the masked frames see: {@code [startSample, endSample)} of
 * each span, i.e. up to the end of the last frame's receptive field. Tier cells have to tile
 * like Praat intervals, so frame t's cell is its hop {@code [t·hop, (t+1)·hop)}: it starts at the
 * frame's first sample, exactly where a shaded span starts.
 */
public final class TierLayout {

    /** A shaded masked span. */
    public record SpanRect(int startFrame, int endFrame, long startSample, long endSample, double x, double width) {
    }

    /** One frame's cell in a tier; {@code value} is the code, or 1/0 for a right/wrong prediction. */
    public record Cell(int frame, long startSample, long endSample, double x, double width, int value) {
    }

    /**
     * A Praat-style interval of a forced alignment: frames {@code [startFrame, endFrame)} are
     * samples {@code [startFrame·hop, endFrame·hop)}.
     */
    public record Box(String label, int startFrame, int endFrame, long startSample, long endSample, double x,
                      double width, double score) {
    }

    private TierLayout() {
    }

    /** One box per letter (and word boundary) of the forced alignment; empty without one. */
    public static List<Box> letterBoxes(CtcInspection c, SampleAxis axis) {
        List<Box> out = new ArrayList<>();
        if (c.alignment() == null) {
            return out;
        }
        for (TokenSegment s : c.alignment().tokens()) {
            out.add(box(s.symbol(), s.startFrame(), s.endFrame(), s.score(), c.hopSamples(), axis));
        }
        return out;
    }

    /** One box per word of the forced alignment; empty without one. */
    public static List<Box> wordBoxes(CtcInspection c, SampleAxis axis) {
        List<Box> out = new ArrayList<>();
        if (c.alignment() == null) {
            return out;
        }
        for (WordSegment w : c.alignment().words()) {
            out.add(box(w.word(), w.startFrame(), w.endFrame(), w.score(), c.hopSamples(), axis));
        }
        return out;
    }

    private static Box box(String label, int f0, int f1, double score, int hop, SampleAxis axis) {
        long s0 = (long) f0 * hop;
        long s1 = (long) f1 * hop;
        double x0 = axis.x(s0);
        return new Box(label, f0, f1, s0, s1, x0, axis.x(s1) - x0, score);
    }

    public static List<SpanRect> maskSpans(Inspection in, SampleAxis axis) {
        List<SpanRect> out = new ArrayList<>(in.maskSpans().size());
        for (Inspection.MaskSpan s : in.maskSpans()) {
            double x0 = axis.x(s.startSample());
            double x1 = axis.x(s.endSample());
            out.add(new SpanRect(s.startFrame(), s.endFrame(), s.startSample(), s.endSample(), x0, x1 - x0));
        }
        return out;
    }

    /** One cell per frame for codebook group {@code group}. */
    public static List<Cell> codeCells(Inspection in, int group, SampleAxis axis) {
        List<Cell> out = new ArrayList<>(in.frames());
        for (int t = 0; t < in.frames(); t++) {
            out.add(cell(in, t, axis, in.codes()[t][group]));
        }
        return out;
    }

    /** One cell per masked frame: value 1 when the true target scored highest, 0 otherwise. */
    public static List<Cell> predictionCells(Inspection in, SampleAxis axis) {
        List<Cell> out = new ArrayList<>();
        for (int t = 0; t < in.frames(); t++) {
            Boolean c = in.correct()[t];
            if (in.masked()[t] && c != null) {
                out.add(cell(in, t, axis, c ? 1 : 0));
            }
        }
        return out;
    }

    public static long frameStart(Inspection in, int t) {
        return t * in.hopSamples();
    }

    /** The frame whose hop contains {@code sample}, or -1 outside the frames. */
    public static int frameAt(Inspection in, double sample) {
        if (sample < 0) {
            return -1;
        }
        long t = (long) Math.floor(sample / in.hopSamples());
        return t < in.frames() ? (int) t : -1;
    }

    private static Cell cell(Inspection in, int t, SampleAxis axis, int value) {
        long s0 = frameStart(in, t);
        long s1 = s0 + in.hopSamples();
        double x0 = axis.x(s0);
        return new Cell(t, s0, s1, x0, axis.x(s1) - x0, value);
    }
}
