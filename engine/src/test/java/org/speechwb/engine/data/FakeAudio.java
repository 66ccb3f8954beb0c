package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.speechwb.engine.audio.AudioFileException;

/**
 * In-memory audio for batching tests: utterance {@code k} has samples {@code k*STRIDE + i} (exact in
 * float for up to 160 utterances), so a crop's first sample reveals both the utterance and the crop start. Files can be made corrupt
 * (AudioFileException) or broken (RuntimeException, as a decoder bug would be).
 */
final class FakeAudio implements AudioLoader {

    static final int STRIDE = 100_000;

    final Map<Path, float[]> audio = new HashMap<>();
    final Map<Path, Integer> number = new HashMap<>();
    final AtomicInteger loads = new AtomicInteger();
    volatile Path corrupt;
    volatile Path broken;

    FakeAudio(List<Utterance> utterances) {
        int k = 0;
        for (Utterance u : utterances) {
            if (u.samples16k() > STRIDE) {
                throw new IllegalArgumentException("fake utterances are limited to " + STRIDE + " samples");
            }
            float[] x = new float[(int) u.samples16k()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) k * STRIDE + i;
            }
            audio.put(u.audio(), x);
            number.put(u.audio(), k++);
        }
    }

    @Override
    public float[] load16k(Path file) throws IOException {
        loads.incrementAndGet();
        if (file.equals(corrupt)) {
            throw new AudioFileException(file, AudioFileException.Reason.TRUNCATED, "cut short");
        }
        if (file.equals(broken)) {
            throw new IllegalStateException("decoder bug");
        }
        float[] x = audio.get(file);
        if (x == null) {
            throw new AudioFileException(file, AudioFileException.Reason.UNREADABLE, "no such fake file");
        }
        return x;
    }
}
