package org.speechwb.app.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.Test;
import org.speechwb.engine.features.Spectrogram;

/** Requests, stale results and the scale switch, with the worker and UI queues run by hand. */
class SpectrogramModelTest {

    private final Deque<Runnable> work = new ArrayDeque<>();
    private final Deque<Runnable> ui = new ArrayDeque<>();
    private final SpectrogramModel model = new SpectrogramModel(work::add, ui::add);

    private static float[] tone(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000));
        }
        return x;
    }

    private static void drain(Deque<Runnable> q) {
        while (!q.isEmpty()) {
            q.poll().run();
        }
    }

    @Test
    void computesOnTheWorkerAndHandsBackOnTheUi() {
        float[] a = tone(8000);
        model.audioProperty().set(a);
        assertThat(model.computingProperty().get()).isTrue();
        assertThat(model.spectrogramProperty().get()).isNull();
        assertThat(work).hasSize(1);
        drain(work);
        assertThat(model.spectrogramProperty().get()).as("nothing before the UI hand-back").isNull();
        drain(ui);
        Spectrogram s = model.spectrogramProperty().get();
        assertThat(s.samples()).isEqualTo(8000);
        assertThat(s.scale()).isEqualTo(Spectrogram.Scale.LOG_MEL);
        assertThat(model.computingProperty().get()).isFalse();
    }

    @Test
    void aResultForAudioNoLongerShownIsDropped() {
        model.audioProperty().set(tone(8000));
        Runnable first = work.poll();
        model.audioProperty().set(tone(4000));
        Runnable second = work.poll();
        // the newer request finishes first, the older one after it
        second.run();
        drain(ui);
        first.run();
        drain(ui);
        assertThat(model.spectrogramProperty().get().samples()).isEqualTo(4000);
        model.audioProperty().set(null);
        assertThat(model.spectrogramProperty().get()).isNull();
        assertThat(work).isEmpty();
        assertThat(model.computingProperty().get()).isFalse();
    }

    @Test
    void switchingTheScaleClearsAndRecomputes() {
        model.audioProperty().set(tone(8000));
        drain(work);
        drain(ui);
        assertThat(model.spectrogramProperty().get().bins()).isEqualTo(80);
        model.scaleProperty().set(Spectrogram.Scale.LINEAR);
        assertThat(model.spectrogramProperty().get()).isNull();
        drain(work);
        drain(ui);
        assertThat(model.spectrogramProperty().get().bins()).isEqualTo(257);
        assertThat(model.spectrogramProperty().get().scale()).isEqualTo(Spectrogram.Scale.LINEAR);
    }
}
