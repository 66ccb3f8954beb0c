package org.speechwb.app.probe;

import java.util.List;

import org.speechwb.engine.probe.LayerProbe;

/**
 * What a probe run found and how it was set up: what "Save JSON…" writes. Error rates are
 * fractions, as the engine gives them (the screen shows per cent).
 *
 * @param splits          how the dataset was split (the experiment's speaker-disjoint protocol)
 * @param trainUtterances utterances the probes trained on ({@code trainMinutes} of audio)
 * @param validUtterances utterances of the validation speakers they were scored on
 * @param lr              each probe's peak learning rate
 * @param probeSeeds      one probe per seed on every layer; the layers' CERs are their means
 * @param seed            the labeled subset's and the random baseline's seed
 * @param cancelled       true when the run was stopped: the last model may be incomplete
 * @param models          the checkpoint, then (when asked for) the random initialisation
 */
public record ProbeReport(String checkpoint, String dataset, String splits, double labeledMinutes, int trainUtterances,
                          double trainMinutes, int validUtterances, int probeUpdates, double lr, List<Long> probeSeeds,
                          long seed, boolean cancelled, double seconds, List<Model> models) {

    /**
     * One model's probes in layer order.
     *
     * @param name        as the chart's legend shows it
     * @param description as the engine describes the model (checkpoint file and update, or the seed)
     * @param complete    false when cancelled before its last layer
     */
    public record Model(String name, String description, List<LayerProbe.LayerScore> layers, boolean complete) {
    }

    public ProbeReport {
        probeSeeds = List.copyOf(probeSeeds);
        models = List.copyOf(models);
    }
}
