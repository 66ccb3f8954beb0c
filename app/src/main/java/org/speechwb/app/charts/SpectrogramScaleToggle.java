package org.speechwb.app.charts;

import javafx.beans.property.ObjectProperty;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;

import org.controlsfx.control.SegmentedButton;
import org.speechwb.engine.features.Spectrogram;

/**
 * Two joined buttons, "log-mel" and "linear", kept in step with a scale property both ways.
 * Pressing the selected one again keeps it selected: the spectrogram always has a scale.
 */
public final class SpectrogramScaleToggle extends SegmentedButton {

    private final ToggleButton mel = new ToggleButton("log-mel");
    private final ToggleButton linear = new ToggleButton("linear");

    /** @param idPrefix node ids become {@code idPrefix-mel} and {@code idPrefix-linear} */
    public SpectrogramScaleToggle(ObjectProperty<Spectrogram.Scale> scale, String idPrefix) {
        mel.setId(idPrefix + "-mel");
        linear.setId(idPrefix + "-linear");
        mel.setTooltip(new Tooltip("80 mel bands, 20 Hz to 8 kHz: the log-mel features an acoustic model sees"));
        linear.setTooltip(new Tooltip("257 linear bins, 0 to 8 kHz (512-point FFT): harmonics and formants as Praat shows them"));
        getButtons().setAll(mel, linear);
        getStyleClass().add("spectrogram-scale");
        select(scale.get());
        scale.addListener((o, a, b) -> select(b));
        getToggleGroup().selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                // the pressed button was the selected one: keep it
                (a == null ? mel : (ToggleButton) a).setSelected(true);
            } else {
                scale.set(b == mel ? Spectrogram.Scale.LOG_MEL : Spectrogram.Scale.LINEAR);
            }
        });
    }

    private void select(Spectrogram.Scale s) {
        (s == Spectrogram.Scale.LINEAR ? linear : mel).setSelected(true);
    }
}
