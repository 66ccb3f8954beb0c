package org.speechwb.app.audio;

import java.util.Objects;
import java.util.concurrent.Executor;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

import org.speechwb.app.shell.BackgroundTasks;
import org.speechwb.app.shell.ErrorMessages;
import org.speechwb.engine.features.Spectrogram;

/**
 * The spectrogram of whatever audio a screen shows, in the chosen frequency scale. Set
 * {@link #audioProperty()} (16 kHz samples) and read {@link #spectrogramProperty()}: it turns
 * null at once when the audio or the scale changes, so a view never draws a spectrogram under
 * a waveform it does not belong to, and is set when the engine has computed the new one on the
 * worker. Results that arrive after a newer request are dropped.
 *
 * <p>Changed and read on the UI thread only.
 */
public final class SpectrogramModel {

    private final Executor worker;
    private final Executor ui;
    private final ObjectProperty<float[]> audio = new SimpleObjectProperty<>(this, "audio");
    private final ObjectProperty<Spectrogram.Scale> scale =
            new SimpleObjectProperty<>(this, "scale", Spectrogram.Scale.LOG_MEL);
    private final ReadOnlyObjectWrapper<Spectrogram> spectrogram = new ReadOnlyObjectWrapper<>(this, "spectrogram");
    private final ReadOnlyBooleanWrapper computing = new ReadOnlyBooleanWrapper(this, "computing");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private long generation;

    /**
     * @param worker runs the computation (never the UI thread: a minute of audio takes a noticeable moment)
     * @param ui     runs the hand-back on the UI thread
     */
    public SpectrogramModel(Executor worker, Executor ui) {
        this.worker = Objects.requireNonNull(worker);
        this.ui = Objects.requireNonNull(ui);
        audio.addListener((o, a, b) -> recompute());
        scale.addListener((o, a, b) -> recompute());
    }

    /** Computes through the screen's background tasks, so the status bar shows it like any other work. */
    public static SpectrogramModel using(BackgroundTasks tasks) {
        return new SpectrogramModel(work -> tasks.submit("Computing spectrogram", () -> {
            work.run();
            return null;
        }, ignored -> { }, ignored -> { }), tasks::runOnUi);
    }

    private void recompute() {
        long g = ++generation;
        spectrogram.set(null);
        error.set("");
        float[] a = audio.get();
        Spectrogram.Scale s = scale.get();
        if (a == null || s == null) {
            computing.set(false);
            return;
        }
        computing.set(true);
        worker.execute(() -> {
            Spectrogram result = null;
            Throwable failure = null;
            try {
                result = Spectrogram.compute(a, s);
            } catch (RuntimeException | OutOfMemoryError e) {
                failure = e;
            }
            Spectrogram r = result;
            Throwable f = failure;
            ui.execute(() -> {
                if (g != generation) {
                    return;
                }
                computing.set(false);
                if (f != null) {
                    error.set("No spectrogram: " + ErrorMessages.describe(f));
                } else {
                    spectrogram.set(r);
                }
            });
        });
    }

    public ObjectProperty<float[]> audioProperty() {
        return audio;
    }

    public ObjectProperty<Spectrogram.Scale> scaleProperty() {
        return scale;
    }

    /** The current audio's spectrogram, or null while it is computed (or there is no audio). */
    public ReadOnlyObjectProperty<Spectrogram> spectrogramProperty() {
        return spectrogram.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty computingProperty() {
        return computing.getReadOnlyProperty();
    }

    /** Why the last computation failed, or "". */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }
}
