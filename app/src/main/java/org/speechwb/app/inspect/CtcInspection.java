package org.speechwb.app.inspect;

import java.util.List;

import org.speechwb.engine.ctc.Alignment;
import org.speechwb.engine.ctc.AlignmentException;
import org.speechwb.engine.ctc.BeamSearchConfig;
import org.speechwb.engine.ctc.CtcAligner;
import org.speechwb.engine.ctc.GreedyDecoder;
import org.speechwb.engine.ctc.Hypothesis;
import org.speechwb.engine.ctc.Posteriorgram;
import org.speechwb.engine.ctc.PrefixBeamSearch;
import org.speechwb.engine.eval.EditAlignment;
import org.speechwb.engine.recognize.Recognizer;
import org.speechwb.engine.text.TranscriptNormalizer;
import org.speechwb.engine.text.UnknownSymbolException;

/**
 * What a fine-tuned (CTC) checkpoint makes of one utterance: its posteriorgram, greedy and
 * beam transcripts with their word alignments against the reference, and the forced alignment
 * of the reference (letters and words). Built on the Inspect worker thread from engine results
 * only; the canvas and the transcript panel draw exactly these.
 *
 * @param hopSamples        samples between CTC frames: frame t covers {@code [t·hop, (t+1)·hop)}
 * @param reference         the normalised reference transcript ("" when the utterance has none)
 * @param alignment         null when the reference cannot be aligned; {@code alignmentProblem} says why
 */
public record CtcInspection(String utteranceId, int update, int hopSamples, int samples, Posteriorgram posteriorgram,
                            String reference, Hypothesis greedy, Hypothesis beam, EditAlignment greedyDiff,
                            EditAlignment beamDiff, Alignment alignment, String alignmentProblem) {

    /** Beam search as the decode command runs it by default, without a language model. */
    static final BeamSearchConfig BEAM = BeamSearchConfig.defaults();

    public static CtcInspection of(Recognizer r, String utteranceId, String transcript, float[] samples) {
        float[][] lp = r.logProbs(samples);
        var vocab = r.vocabulary();
        Posteriorgram pg = Posteriorgram.fromLogProbs(lp, vocab, r.frameSeconds());
        Hypothesis greedy = new GreedyDecoder(vocab).decode(lp);
        List<Hypothesis> beams = new PrefixBeamSearch(vocab, null, BEAM).decode(lp);
        Hypothesis beam = beams.isEmpty() ? null : beams.get(0);
        String ref = transcript == null ? "" : TranscriptNormalizer.normalize(transcript);
        Alignment alignment = null;
        String problem = null;
        if (ref.isBlank()) {
            problem = "the utterance has no transcript to align";
        } else {
            try {
                alignment = new CtcAligner(vocab).align(lp, ref, r.frameSeconds());
            } catch (UnknownSymbolException e) {
                problem = "the transcript has '" + e.symbol() + "', which this model's vocabulary cannot spell";
            } catch (AlignmentException e) {
                problem = e.getMessage();
            }
        }
        int hop = (int) Math.round(r.frameSeconds() * 16000);
        return new CtcInspection(utteranceId, r.update(), hop, samples.length, pg, ref, greedy, beam,
                EditAlignment.ofWords(ref, greedy.text()), beam == null ? null : EditAlignment.ofWords(ref, beam.text()),
                alignment, problem);
    }

    public int frames() {
        return posteriorgram.frames();
    }
}
