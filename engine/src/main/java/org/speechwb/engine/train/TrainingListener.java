package org.speechwb.engine.train;

/**
 * Receives every {@link TrainingEvent} of a run, on the training thread, in order. Keep it
 * cheap: the workbench only queues the event and renders from the FX thread at its own rate.
 */
@FunctionalInterface
public interface TrainingListener {

    void onEvent(TrainingEvent event);

    TrainingListener NONE = e -> { };
}
