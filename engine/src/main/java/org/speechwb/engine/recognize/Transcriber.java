package org.speechwb.engine.recognize;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.ctc.BeamSearchConfig;
import org.speechwb.engine.ctc.GreedyDecoder;
import org.speechwb.engine.ctc.Hypothesis;
import org.speechwb.engine.ctc.PrefixBeamSearch;
import org.speechwb.engine.ctc.lm.NgramModel;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.eval.ScoreReport;
import org.speechwb.engine.eval.UtteranceScore;
import org.speechwb.engine.text.TranscriptNormalizer;

/**
 * Turns audio into text with a {@link LogProbSource} (a fine-tuned wav2vec 2.0 or an acoustic
 * model on features): greedy decoding, or prefix beam search
 * with an optional n-gram language model; and scores a list of utterances against their
 * transcripts.
 */
public final class Transcriber {

    /** A decoded utterance with both decodings when a beam is configured. */
    public record Result(String id, String reference, Hypothesis greedy, Hypothesis beam) {
        public Hypothesis best() {
            return beam != null ? beam : greedy;
        }
    }

    private final LogProbSource recognizer;
    private final GreedyDecoder greedy;
    private final PrefixBeamSearch beam;

    /** @param beamConfig null for greedy only; lm may be null (beam without LM) */
    public Transcriber(LogProbSource recognizer, BeamSearchConfig beamConfig, NgramModel lm) {
        this.recognizer = recognizer;
        this.greedy = new GreedyDecoder(recognizer.vocabulary());
        this.beam = beamConfig == null ? null : new PrefixBeamSearch(recognizer.vocabulary(), lm, beamConfig);
    }

    public Result transcribe(String id, String reference, float[] samples) {
        float[][] lp = recognizer.logProbs(samples);
        Hypothesis g = greedy.decode(lp);
        Hypothesis b = beam == null ? null : beam.decode(lp).get(0);
        return new Result(id, reference, g, b);
    }

    public Result transcribe(Path audio) throws IOException {
        return transcribe(audio.toString(), null, AudioReader.read16k(audio).samples());
    }

    /** Decodes and scores every utterance; {@code useBeam} picks which hypothesis is scored. */
    public ScoreReport evaluate(List<Utterance> utterances, String split, boolean useBeam) throws IOException {
        List<UtteranceScore> scores = new ArrayList<>();
        for (Utterance u : utterances) {
            Result r = transcribe(u.id(), u.transcript(), AudioReader.read16k(u.audio()).samples());
            Hypothesis h = useBeam && r.beam() != null ? r.beam() : r.greedy();
            scores.add(UtteranceScore.of(u.id(), split, TranscriptNormalizer.normalize(u.transcript()), h.text()));
        }
        return new ScoreReport(scores, List.of(), List.of());
    }
}
