package org.speechwb.app.shell;

/** The workbench's screens, in navigation order. */
public enum ScreenId {
    DATASETS("Datasets", "Open a corpus, inspect it, choose splits", 1),
    EXPERIMENT("Experiment", "Model, masking, quantizer, optimizer and run settings", 2),
    TRAINING("Training", "Live loss curves and run control", 3),
    CODEBOOK("Codebook", "Quantizer code usage", 4),
    INSPECT("Inspect", "What a checkpoint learned", 5),
    PROBES("Probes", "What each layer encodes: linear CTC probes per layer", 11),
    RUNS("Runs", "All runs: compare, resume, pick checkpoints", 6),
    STUDY("Study", "The papers' low-resource comparison on your data", 12);

    private final String title;
    private final String description;
    private final int snapshotNumber;

    ScreenId(String title, String description, int snapshotNumber) {
        this.title = title;
        this.description = description;
        this.snapshotNumber = snapshotNumber;
    }

    /**
     * The screen's picture in docs/screenshots, e.g. "6-runs.png": numbered in the order the
     * screens were added, so that a new screen does not rename the existing pictures.
     */
    public String snapshotName() {
        return snapshotNumber + "-" + name().toLowerCase(java.util.Locale.ROOT) + ".png";
    }

    public String title() {
        return title;
    }

    public String description() {
        return description;
    }
}
