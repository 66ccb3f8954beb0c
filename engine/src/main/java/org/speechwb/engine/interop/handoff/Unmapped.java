package org.speechwb.engine.interop.handoff;

import java.util.ArrayList;
import java.util.List;

import org.speechwb.engine.config.PretrainConfig;

/**
 * A workbench setting the target engine has no place for, or maps with different semantics.
 * Listed in the hand-off's README rather than dropped silently.
 *
 * @param knob    the workbench's field, e.g. {@code masking.minMasks}
 * @param value   its value in the exported config
 * @param why     what the target does instead
 * @param blocker true when the target's launcher will refuse the run as written
 */
public record Unmapped(String knob, String value, String why, boolean blocker) {

    static Unmapped note(String knob, Object value, String why) {
        return new Unmapped(knob, String.valueOf(value), why, false);
    }

    static Unmapped blocker(String knob, Object value, String why) {
        return new Unmapped(knob, String.valueOf(value), why, true);
    }

    /**
     * Notes for the workbench's own pre-training variants, which neither fairseq nor transformers
     * has: the run {@code target} starts trains without them.
     */
    static List<Unmapped> workbenchVariants(PretrainConfig p, String target) {
        List<Unmapped> out = new ArrayList<>();
        if (p.loss().levelMatched()) {
            out.add(note("loss.levelPool", p.loss().levelPool(), target + " draws distractors from every masked frame"
                    + " of the utterance; the run it starts uses that objective, not level-matched ones"));
        }
        if (p.loss().clusterTargets()) {
            // a different objective, not a detail: the hand-off would start a run of another model
            out.add(blocker("loss.mfccClusters", p.loss().mfccClusters(), target + " pre-trains wav2vec 2.0 on its"
                    + " quantizer's codes; MFCC cluster targets are HuBERT's first iteration, which fairseq trains with"
                    + " examples/hubert (simple_kmeans labels, then the hubert pre-training task), not with this hand-off"));
        }
        if (p.data().gainJittered()) {
            out.add(note("data.gainJitterDb", p.data().gainJitterDb(), target + " pre-trains on the audio as recorded;"
                    + " the run it starts has no random loudness contour"));
        }
        return out;
    }
}
