package org.speechwb.app.shell;

/** The workbench's screens, in navigation order. */
public enum ScreenId {
    DATASETS("Datasets", "Open a corpus, inspect it, choose splits"),
    EXPERIMENT("Experiment", "Model, masking, quantizer, optimizer and run settings"),
    TRAINING("Training", "Live loss curves and run control"),
    CODEBOOK("Codebook", "Quantizer code usage"),
    INSPECT("Inspect", "What a checkpoint learned"),
    RUNS("Runs", "All runs: compare, resume, pick checkpoints"),
    STUDY("Study", "The papers' low-resource comparison on your data");

    private final String title;
    private final String description;

    ScreenId(String title, String description) {
        this.title = title;
        this.description = description;
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }
}
