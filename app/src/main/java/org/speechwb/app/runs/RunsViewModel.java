package org.speechwb.app.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import com.fasterxml.jackson.databind.SerializationFeature;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.app.shell.FinetuneHistory;
import org.speechwb.app.shell.Resumption;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;
import org.speechwb.engine.config.ConfigException;
import org.speechwb.engine.config.ConfigIO;
import org.speechwb.engine.config.FinetuneConfig;
import org.speechwb.engine.config.PretrainConfig;
import org.speechwb.engine.run.Checkpoint;
import org.speechwb.engine.run.CheckpointException;
import org.speechwb.engine.run.Provenance;
import org.speechwb.engine.run.RunFolder;
import org.speechwb.engine.run.RunStatus;
import org.speechwb.engine.run.RunStore;
import org.speechwb.engine.train.FinetuneMetrics;
import org.speechwb.engine.train.RunState;
import org.speechwb.engine.train.UpdateMetrics;
import org.speechwb.engine.train.ValidationResult;

/**
 * State and actions of the Runs screen: every run folder with its status and final metrics,
 * the details of the selected run, the curves of the ticked runs, and resuming and inspecting.
 */
public final class RunsViewModel {

    /** The curves of one run: pre-training updates, or a fine-tuning run's updates and validations. */
    public record RunCurves(List<UpdateMetrics> pretrain, FinetuneHistory finetune) {

        static RunCurves read(RunFolder run) throws IOException {
            return run.isFinetune() ? new RunCurves(List.of(), FinetuneHistory.read(run))
                    : new RunCurves(run.metrics(), null);
        }

        /** {x, y} of {@code metric} for this run; empty when the metric does not apply to its kind. */
        public double[][] points(Metric metric) {
            if (finetune != null) {
                if (metric == Metric.WER || metric == Metric.CER) {
                    List<ValidationResult> v = finetune.validations();
                    double[][] out = new double[2][v.size()];
                    for (int i = 0; i < v.size(); i++) {
                        out[0][i] = v.get(i).update();
                        out[1][i] = 100 * (metric == Metric.WER ? v.get(i).wer() : v.get(i).cer());
                    }
                    return out;
                }
                if (metric != Metric.CTC_LOSS && metric != Metric.LEARNING_RATE) {
                    return new double[2][0];
                }
                List<FinetuneMetrics> m = finetune.metrics();
                double[][] out = new double[2][m.size()];
                for (int i = 0; i < m.size(); i++) {
                    out[0][i] = m.get(i).update();
                    out[1][i] = m.get(i).skipped() ? Double.NaN
                            : metric == Metric.CTC_LOSS ? m.get(i).loss() : m.get(i).lr();
                }
                return out;
            }
            if (metric.finetuneOnly()) {
                return new double[2][0];
            }
            double[][] out = new double[2][pretrain.size()];
            for (int i = 0; i < pretrain.size(); i++) {
                out[0][i] = pretrain.get(i).update();
                out[1][i] = pretrain.get(i).skipped() ? Double.NaN : metric.of(pretrain.get(i));
            }
            return out;
        }
    }

    /** Metrics that can be overlaid; the last three exist for fine-tuning runs only. */
    public enum Metric {
        LOSS("loss (bits)"), ACCURACY("accuracy"), CODE_PERPLEXITY("code perplexity"), CONTRASTIVE("contrastive (bits)"),
        LEARNING_RATE("learning rate"), CTC_LOSS("CTC loss (nats/utt.)"), WER("validation WER (%)"),
        CER("validation CER (%)");

        private final String label;

        Metric(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public double of(UpdateMetrics m) {
            return switch (this) {
                case LOSS -> m.loss();
                case ACCURACY -> m.accuracy();
                case CODE_PERPLEXITY -> m.codePerplexity();
                case CONTRASTIVE -> m.contrastive();
                case LEARNING_RATE -> m.lr();
                case CTC_LOSS, WER, CER -> Double.NaN;
            };
        }

        public boolean finetuneOnly() {
            return this == CTC_LOSS || this == WER || this == CER;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** A checkpoint file with what its header says (or why it could not be read). */
    public record CheckpointRow(Path file, int update, long bytes, String created, String problem) {
    }

    private final ScreenContext ctx;
    private final ObservableList<RunRow> runs = FXCollections.observableArrayList();
    private final ObjectProperty<RunRow> selected = new SimpleObjectProperty<>(this, "selected");
    private final StringProperty configText = new SimpleStringProperty(this, "configText", "");
    private final StringProperty provenanceText = new SimpleStringProperty(this, "provenanceText", "");
    private final ObservableList<CheckpointRow> checkpoints = FXCollections.observableArrayList();
    private final ObjectProperty<Metric> metric = new SimpleObjectProperty<>(this, "metric", Metric.LOSS);
    /** Metrics of each ticked run, by run id (UI thread). */
    private final Map<String, RunCurves> curves = new HashMap<>();
    private final ObservableList<String> compared = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty(this, "status", "");
    private Runnable curvesChanged = () -> { };
    private boolean listedBefore;
    /** Set while a refresh selects rows itself: only a user's pick should redirect the other screens. */
    private boolean selectingForRefresh;
    private String detailsFor;

    public RunsViewModel(ScreenContext ctx) {
        this.ctx = ctx;
        selected.addListener((o, a, b) -> loadDetails(b));
        metric.addListener((o, a, b) -> curvesChanged.run());
        ctx.session().activeRunProperty().addListener((o, a, run) -> {
            if (run != null) {
                run.stateProperty().addListener((x, y, s) -> refresh());
            }
        });
    }

    /** Called on the UI thread whenever the overlaid curves or the metric changed. */
    public void onCurvesChanged(Runnable r) {
        curvesChanged = r;
    }

    public void refresh() {
        refresh(null);
    }

    /** Re-reads the runs and selects {@code selectId} (null: keep the selection). */
    public void refresh(String selectId) {
        Path root = ctx.paths().runs();
        String keep = selectId != null ? selectId : selected.get() == null ? null : selected.get().id();
        List<String> ticked = List.copyOf(compared);
        ctx.tasks().submit("Reading runs", () -> readAll(root), rows -> {
            runs.setAll(rows);
            status.set(rows.isEmpty() ? "No runs yet in " + root + ". Start one on the Experiment screen."
                    : rows.size() + " run(s) in " + root);
            compared.clear();
            curves.clear();
            selectingForRefresh = true;
            try {
                for (RunRow r : rows) {
                    r.compareProperty().addListener((o, a, b) -> setCompared(r, b));
                    if (ticked.contains(r.id())) {
                        r.compareProperty().set(true);
                    }
                    if (r.id().equals(keep)) {
                        selected.set(r);
                    }
                }
                if (!listedBefore && !rows.isEmpty()) {
                    // a first look shows the newest run rather than an empty chart
                    rows.get(0).compareProperty().set(true);
                    if (selected.get() == null) {
                        selected.set(rows.get(0));
                    }
                }
            } finally {
                selectingForRefresh = false;
            }
            listedBefore = true;
            curvesChanged.run();
        }, e -> ctx.notifier().error("Could not list the runs in " + root, e));
    }

    static List<RunRow> readAll(Path root) throws IOException {
        List<RunRow> out = new ArrayList<>();
        for (RunFolder r : new RunStore(root).list()) {
            RunStatus st = r.status().orElse(null);
            Provenance prov = null;
            try {
                prov = r.provenance();
            } catch (IOException e) {
                // shown as unknown dataset
            }
            if (r.isFinetune()) {
                out.add(finetuneRow(r, st, prov));
                continue;
            }
            PretrainConfig cfg = null;
            String problem = null;
            try {
                cfg = r.config();
            } catch (ConfigException e) {
                problem = e.getMessage();
            }
            UpdateMetrics last = null;
            try {
                List<UpdateMetrics> m = r.metrics();
                last = m.isEmpty() ? null : m.get(m.size() - 1);
            } catch (IOException e) {
                // a run without readable metrics still lists
            }
            out.add(new RunRow(r, st, prov, cfg, problem, last, r.checkpoints().size()));
        }
        return out;
    }

    private static RunRow finetuneRow(RunFolder r, RunStatus st, Provenance prov) throws IOException {
        FinetuneConfig cfg = null;
        String problem = null;
        try {
            cfg = r.finetuneConfig();
        } catch (ConfigException e) {
            problem = e.getMessage();
        }
        FinetuneHistory h = new FinetuneHistory(List.of(), List.of());
        try {
            h = FinetuneHistory.read(r);
        } catch (IOException e) {
            // a run without readable metrics still lists
        }
        return RunRow.finetune(r, st, prov, cfg, problem, h.last(), h.best(), r.checkpoints().size());
    }

    private void loadDetails(RunRow row) {
        // a refresh re-selects the same run: keep its details (and the user's selection in them) until the new ones arrive
        boolean sameRun = row != null && row.id().equals(detailsFor);
        detailsFor = row == null ? null : row.id();
        if (!sameRun) {
            configText.set("");
            provenanceText.set("");
            checkpoints.clear();
        }
        RunFolder current = ctx.session().selectedRunProperty().get();
        // a refresh clears the table's selection and then re-selects a row itself: telling the session
        // would pull the Training screen away from the live run it follows
        if (row != null && !selectingForRefresh && (current == null || !current.dir().equals(row.run().dir()))) {
            ctx.session().selectedRunProperty().set(row.run());
        }
        if (row == null) {
            return;
        }
        ctx.tasks().submit("Reading run " + row.id(), () -> details(row.run()), d -> {
            if (selected.get() != row) {
                return;
            }
            configText.set(d.config());
            provenanceText.set(d.provenance());
            if (!d.checkpoints().equals(checkpoints)) {
                checkpoints.setAll(d.checkpoints());
            }
        }, e -> ctx.notifier().error("Could not read run " + row.id(), e));
    }

    private record Details(String config, String provenance, List<CheckpointRow> checkpoints) {
    }

    private static Details details(RunFolder run) throws IOException {
        String cfg = Files.isRegularFile(run.configFile()) ? Files.readString(run.configFile()) : "(no config.yaml)";
        String prov;
        try {
            prov = ConfigIO.json().copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(run.provenance());
        } catch (IOException e) {
            prov = "(provenance unreadable: " + e.getMessage() + ")";
        }
        List<CheckpointRow> cps = new ArrayList<>();
        List<Path> files = new ArrayList<>(run.checkpoints());
        if (Files.isRegularFile(run.bestCheckpointFile())) {
            // fine-tuning keeps the best-WER weights beside the periodic ones
            files.add(run.bestCheckpointFile());
        }
        for (Path p : files) {
            long size = Files.size(p);
            try {
                Checkpoint.Meta meta = Checkpoint.readMeta(p);
                cps.add(new CheckpointRow(p, meta.update(), size, meta.createdAt(), null));
            } catch (CheckpointException e) {
                cps.add(new CheckpointRow(p, RunFolder.updateOf(p), size, "", e.getMessage()));
            }
        }
        return new Details(cfg, prov, cps);
    }

    private void setCompared(RunRow row, boolean on) {
        if (!on) {
            compared.remove(row.id());
            curves.remove(row.id());
            curvesChanged.run();
            return;
        }
        if (!compared.contains(row.id())) {
            compared.add(row.id());
        }
        ctx.tasks().submit("Reading metrics of " + row.id(), () -> RunCurves.read(row.run()), m -> {
            if (compared.contains(row.id())) {
                curves.put(row.id(), m);
                curvesChanged.run();
            }
        }, e -> ctx.notifier().error("Could not read the metrics of " + row.id(), e));
    }

    /** Ticked run ids, in the order they were ticked. */
    public ObservableList<String> compared() {
        return compared;
    }

    /**
     * Legend names for run ids: the run's name without the folder's date-time prefix
     * ("20261203-160730-tiny-a" → "tiny-a"), as TensorBoard shows run names; where two runs
     * share a name, both keep their whole id so the legend still tells them apart.
     */
    public static Map<String, String> legendNames(List<String> ids) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        Map<String, Long> counts = new HashMap<>();
        for (String id : ids) {
            counts.merge(shortName(id), 1L, Long::sum);
        }
        for (String id : ids) {
            String n = shortName(id);
            out.put(id, counts.get(n) > 1 ? id : n);
        }
        return out;
    }

    private static String shortName(String id) {
        String n = id.replaceFirst("^\\d{8}-\\d{6}-", "");
        return n.isEmpty() ? id : n;
    }

    /** Loaded curves of the ticked runs (some may still be loading). */
    public Map<String, RunCurves> curves() {
        return curves;
    }

    // ---- actions --------------------------------------------------------------------------

    static final String TRAINED_ELSEWHERE = "It is being trained now, by a command or an experiment: resume it when"
            + " that ends";

    /** Why the selected run cannot be resumed now, or "" if it can. */
    public String resumeBlocker(RunRow row) {
        if (row == null) {
            return "Select a run";
        }
        if (ctx.session().isTraining()) {
            return "Run " + ctx.session().activeRun().run().id() + " is training";
        }
        if (row.run().isTraining()) {
            return TRAINED_ELSEWHERE;
        }
        if (row.state() == RunState.FINISHED) {
            return "Finished: all " + (row.status() == null ? "" : row.status().maxUpdates() + " ")
                    + "updates are done";
        }
        if (!row.configReadable()) {
            return "Its config cannot be read";
        }
        if (row.provenance() == null) {
            return "It does not record its dataset";
        }
        return "";
    }

    /**
     * Continues a stopped, failed or interrupted run from its newest checkpoint on the data it
     * was started with (same dataset fingerprint and split), in the Training screen.
     */
    public void resume(RunRow row) {
        String why = resumeBlocker(row);
        if (!why.isEmpty()) {
            ctx.notifier().warning("Cannot resume " + (row == null ? "" : row.id()), why);
            return;
        }
        ctx.tasks().submit("Reading the data of " + row.id(), () -> Resumption.prepare(row.run()), r -> {
            try {
                r.start(ctx.session());
                ctx.session().navigate(ScreenId.TRAINING);
            } catch (IllegalStateException e) {
                ctx.notifier().error("Cannot resume " + row.id(), e);
            }
        }, e -> ctx.notifier().error("Cannot resume " + row.id(), ErrorMessages.describe(e), e));
    }

    /**
     * Shows {@code row} on Training and Codebook from its files (metrics.jsonl, codebook.jsonl,
     * checkpoints), and goes to Training. Selecting the run again makes the screens leave the live
     * run they may have gone back to since.
     */
    public void open(RunRow row) {
        if (row == null) {
            return;
        }
        ctx.session().selectedRunProperty().set(null);
        ctx.session().selectedRunProperty().set(row.run());
        ctx.session().navigate(ScreenId.TRAINING);
    }

    /** The update a run has reached (0 when unknown). */
    static int reached(RunRow row) {
        return row.status() == null ? 0 : row.status().update();
    }

    /** Why {@code row} cannot be extended to {@code maxUpdates} now, or "" if it can (null: any count). */
    public String extendBlocker(RunRow row, Integer maxUpdates) {
        if (row == null) {
            return "Select a run";
        }
        if (ctx.session().isTraining()) {
            return "Run " + ctx.session().activeRun().run().id() + " is training";
        }
        if (row.run().isTraining()) {
            return TRAINED_ELSEWHERE;
        }
        if (!row.configReadable()) {
            return "Its config cannot be read";
        }
        if (row.provenance() == null) {
            return "It does not record its dataset";
        }
        if (row.checkpoints() == 0) {
            return "It has no checkpoint to go on from";
        }
        if (maxUpdates != null && maxUpdates <= reached(row)) {
            return "It has done " + reached(row) + " updates already: give a larger number";
        }
        return "";
    }

    /**
     * Goes on with {@code row} from its newest checkpoint up to {@code maxUpdates} updates, on the
     * data it was started with, in the Training screen (what {@code speechwb resume --updates} does).
     */
    public void extend(RunRow row, int maxUpdates) {
        String why = extendBlocker(row, maxUpdates);
        if (!why.isEmpty()) {
            ctx.notifier().warning("Cannot extend " + (row == null ? "" : row.id()), why);
            return;
        }
        ctx.tasks().submit("Reading the data of " + row.id(), () -> Resumption.prepare(row.run()), r -> {
            try {
                r.start(ctx.session(), maxUpdates);
                ctx.session().navigate(ScreenId.TRAINING);
            } catch (IllegalStateException e) {
                ctx.notifier().error("Cannot extend " + row.id(), e);
            }
        }, e -> ctx.notifier().error("Cannot extend " + row.id(), ErrorMessages.describe(e), e));
    }

    /** Hands a checkpoint to the Inspect screen. */
    public void inspect(CheckpointRow cp) {
        RunRow row = selected.get();
        if (cp == null || row == null) {
            return;
        }
        if (cp.problem() != null) {
            ctx.notifier().error("Checkpoint cannot be inspected", cp.file().getFileName() + ": " + cp.problem(), null);
            return;
        }
        ctx.session().selectedRunProperty().set(row.run());
        ctx.session().selectedCheckpointProperty().set(cp.file());
        ctx.session().navigate(ScreenId.INSPECT);
    }

    // ---- properties -----------------------------------------------------------------------

    public ObservableList<RunRow> runs() {
        return runs;
    }

    public ObjectProperty<RunRow> selectedProperty() {
        return selected;
    }

    public StringProperty configTextProperty() {
        return configText;
    }

    public StringProperty provenanceTextProperty() {
        return provenanceText;
    }

    public ObservableList<CheckpointRow> checkpoints() {
        return checkpoints;
    }

    public ObjectProperty<Metric> metricProperty() {
        return metric;
    }

    public StringProperty statusProperty() {
        return status;
    }
}
