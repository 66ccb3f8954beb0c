package org.speechwb.app.runs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import org.speechwb.app.shell.ScreenContext;
import org.speechwb.engine.run.ConfigDiff;
import org.speechwb.engine.run.RunFolder;

/**
 * What the Runs screen compares across the ticked runs besides the main chart's metric: more
 * metrics, one small chart each, and the fields of their {@code config.yaml} that differ. The
 * diff is read by the engine in the background whenever the ticked runs change; its columns are
 * the runs' legend names, so a column and a curve of the same run carry the same name.
 */
public final class CompareViewModel {

    private final ScreenContext ctx;
    private final RunsViewModel runs;
    private final ObservableList<RunsViewModel.Metric> moreMetrics = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ConfigDiff> diff = new ReadOnlyObjectWrapper<>(this, "diff");
    private final ReadOnlyStringWrapper diffStatus = new ReadOnlyStringWrapper(this, "diffStatus", "");
    private long generation;

    public CompareViewModel(ScreenContext ctx, RunsViewModel runs) {
        this.ctx = ctx;
        this.runs = runs;
        runs.compared().addListener((ListChangeListener<String>) c -> readDiff());
        readDiff();
    }

    /** The metrics charted beside the main one, in the order they were chosen; never the main one twice. */
    public ObservableList<RunsViewModel.Metric> moreMetrics() {
        return moreMetrics;
    }

    /** Every metric to chart: the main chart's first, then {@link #moreMetrics()}. */
    public List<RunsViewModel.Metric> chartedMetrics() {
        List<RunsViewModel.Metric> out = new ArrayList<>();
        out.add(runs.metricProperty().get());
        moreMetrics.stream().filter(m -> !out.contains(m)).forEach(out::add);
        return out;
    }

    /** The differing config fields of the ticked runs (null while read, or with fewer than two runs). */
    public ReadOnlyObjectProperty<ConfigDiff> diffProperty() {
        return diff.getReadOnlyProperty();
    }

    /** A line above the diff: what is compared, or why nothing is. */
    public ReadOnlyStringProperty diffStatusProperty() {
        return diffStatus.getReadOnlyProperty();
    }

    private void readDiff() {
        long g = ++generation;
        List<String> ids = List.copyOf(runs.compared());
        diff.set(null);
        if (ids.size() < 2) {
            diffStatus.set("Tick two or more runs in the Compare column to see how their configs differ.");
            return;
        }
        List<RunFolder> folders = new ArrayList<>();
        for (String id : ids) {
            runs.runs().stream().filter(r -> r.id().equals(id)).findFirst().ifPresent(r -> folders.add(r.run()));
        }
        Map<String, String> names = RunsViewModel.legendNames(ids);
        diffStatus.set("Reading the configs of " + ids.size() + " runs…");
        ctx.tasks().submit("Comparing configs", () -> ConfigDiff.of(folders), d -> {
            if (g != generation) {
                return;
            }
            List<String> columns = d.runs().stream().map(id -> names.getOrDefault(id, id)).toList();
            ConfigDiff named = new ConfigDiff(columns, d.rows());
            diff.set(named);
            diffStatus.set(d.rows().isEmpty() ? "The " + ids.size() + " ticked runs have the same config."
                    : d.rows().size() + " config field(s) differ between the " + ids.size() + " ticked runs.");
        }, e -> {
            if (g == generation) {
                diffStatus.set("Could not compare the configs: " + org.speechwb.app.shell.ErrorMessages.describe(e));
            }
        });
    }
}
