package org.speechwb.app.inspect;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a range of 16 kHz mono samples through javax.sound.sampled on its own thread.
 * {@link #probe()} tells whether there is an output device at all, so the view can disable
 * playback with a reason instead of failing on click (CI machines and containers have none).
 */
public final class AudioPlayback {

    private static final Logger LOG = LoggerFactory.getLogger(AudioPlayback.class);
    static final AudioFormat FORMAT = new AudioFormat(16000f, 16, 1, true, false);

    /** Whether playback can work here, and if not, why. */
    public record Availability(boolean available, String reason) {
    }

    private final AtomicLong generation = new AtomicLong();
    private volatile SourceDataLine line;

    /** Looks for a line that plays 16-bit 16 kHz mono; cheap enough to call once per screen. */
    public static Availability probe() {
        try {
            DataLine.Info info = new DataLine.Info(SourceDataLine.class, FORMAT);
            if (AudioSystem.getMixerInfo().length == 0 || !AudioSystem.isLineSupported(info)) {
                return new Availability(false, "no audio output device on this machine");
            }
            return new Availability(true, "");
        } catch (RuntimeException | LinkageError e) {
            return new Availability(false, "audio output unavailable: " + e.getMessage());
        }
    }

    /**
     * Plays samples [from, to); {@code position} receives the sample being heard (from the
     * player thread) and finally -1 when playback ends or is stopped. A new call stops the old one.
     */
    public void play(float[] samples, long from, long to, LongConsumer position) {
        stop();
        long gen = generation.incrementAndGet();
        Thread t = new Thread(() -> run(samples, (int) from, (int) to, position, gen), "audio-playback");
        t.setDaemon(true);
        t.start();
    }

    public void stop() {
        generation.incrementAndGet();
        SourceDataLine l = line;
        if (l != null) {
            l.stop();
            l.flush();
        }
    }

    private void run(float[] samples, int from, int to, LongConsumer position, long gen) {
        byte[] pcm = new byte[(to - from) * 2];
        for (int i = from; i < to; i++) {
            int v = (int) Math.round(Math.max(-1f, Math.min(1f, samples[i])) * 32767);
            pcm[2 * (i - from)] = (byte) v;
            pcm[2 * (i - from) + 1] = (byte) (v >> 8);
        }
        try (SourceDataLine l = AudioSystem.getSourceDataLine(FORMAT)) {
            l.open(FORMAT, 3200);
            line = l;
            l.start();
            int chunk = 1600;
            for (int off = 0; off < pcm.length && generation.get() == gen; off += chunk) {
                l.write(pcm, off, Math.min(chunk, pcm.length - off));
                position.accept(from + l.getLongFramePosition());
            }
            if (generation.get() == gen) {
                l.drain();
            }
        } catch (LineUnavailableException | RuntimeException e) {
            LOG.warn("playback failed: {}", e.toString());
        } finally {
            line = null;
            position.accept(-1);
        }
    }
}
