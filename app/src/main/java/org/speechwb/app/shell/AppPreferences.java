package org.speechwb.app.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import javafx.animation.PauseTransition;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.util.Duration;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import javafx.animation.PauseTransition;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.util.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import javafx.animation.PauseTransition;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.util.Duration;

import com.fasterxml.jackson.databind.SerializationFeature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the workbench remembers between launches, as a small JSON file
 * ({@code <configDir>/workbench.json}; the folder comes from {@code AppPaths}, so tests use a
 * temporary one). JSON rather than java.util.prefs so a user can read, copy or delete it.
 * A broken file is set aside and defaults are used: preferences are never worth a failed start.
 */
public final class AppPreferences {

    private static final Logger LOG = LoggerFactory.getLogger(AppPreferences.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final int MAX_RECENT = 10;

    /** The stored values; public fields so the file maps one to one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class Values {
        public String lastDataset;
        /** Run folder shown last (started, or picked on the Runs screen): shown again at launch. */
        public String lastRun;
        public List<String> recentDatasets = new ArrayList<>();
        /** Preset the config was based on (also the base of the diff). */
        public String configPreset = "wav2vec2-small-cpu";
        /** Config file loaded last, or null when based on a preset. */
        public String configFile;
        /** Edits on top of the preset or file, as {@code section.field=value}. */
        public List<String> configOverrides = new ArrayList<>();
        public String splitStrategy = "PREDEFINED";
        public double validFraction = 0.1;
        public double testFraction = 0.1;
        public long splitSeed = 1;
        public String trainSplit = "train";
        public Double windowX;
        public Double windowY;
        public Double windowWidth;
        public Double windowHeight;
        public boolean maximized;
        public String screen;
        public double chartSmoothing = 0.6;
    }

    private final Path file;
    private Values values;
    private DoubleProperty chartSmoothing;
    private PauseTransition saveSoon;

    private AppPreferences(Path file, Values values) {
        this.file = file;
        this.values = values;
    }

    public static AppPreferences load(Path configDir) {
        Path file = configDir.resolve("workbench.json");
        if (Files.isRegularFile(file)) {
            try {
                return new AppPreferences(file, JSON.readValue(file.toFile(), Values.class));
            } catch (IOException e) {
                LOG.warn("Preferences {} unreadable ({}); starting with defaults", file, e.getMessage());
                try {
                    Files.move(file, file.resolveSibling("workbench.json.broken"), StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException ignored) {
                    // defaults are used either way
                }
            }
        }
        return new AppPreferences(file, new Values());
    }

    /** Preferences that are never written (view-model tests). */
    public static AppPreferences inMemory() {
        return new AppPreferences(null, new Values());
    }

    public Values values() {
        return values;
    }

    public Path file() {
        return file;
    }

    /**
     * The one curve smoothing of the workbench (Training's "Smoothing (all charts)", the
     * Codebook and Runs charts), saved as it is set. A slider drag sets it many times a
     * second, so the file is written once the value has rested a moment. FX thread only.
     */
    public DoubleProperty chartSmoothingProperty() {
        if (chartSmoothing == null) {
            chartSmoothing = new SimpleDoubleProperty(this, "chartSmoothing", values.chartSmoothing);
            chartSmoothing.addListener((o, a, b) -> {
                values.chartSmoothing = b.doubleValue();
                if (file == null) {
                    return;
                }
                if (saveSoon == null) {
                    saveSoon = new PauseTransition(Duration.millis(400));
                    saveSoon.setOnFinished(e -> save());
                }
                saveSoon.playFromStart();
            });
        }
        return chartSmoothing;
    }

    /** Puts {@code dataset} first in the recent list. */
    public void rememberDataset(Path dataset) {
        String s = dataset.toAbsolutePath().normalize().toString();
        values.lastDataset = s;
        values.recentDatasets.remove(s);
        values.recentDatasets.add(0, s);
        while (values.recentDatasets.size() > MAX_RECENT) {
            values.recentDatasets.remove(values.recentDatasets.size() - 1);
        }
    }

    public synchronized void save() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), values);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Cannot save preferences to {}: {}", file, e.getMessage());
        }
    }
}
