package org.speechwb.engine.train;

/** Life cycle of a training run as the app shows it. */
public enum RunState {
    CREATED, RUNNING, PAUSED, STOPPING, STOPPED, FINISHED, FAILED;

    public boolean terminal() {
        return this == STOPPED || this == FINISHED || this == FAILED;
    }
}
