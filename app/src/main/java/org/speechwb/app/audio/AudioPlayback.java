package org.speechwb.app.audio;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleConsumer;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays mono float audio through javax.sound. Machines without a sound device (servers, CI,
 * containers) are common for this tool, so availability is probed once and reported as a
 * reason rather than failing on the first click.
 */
public final class AudioPlayback {

    private static final Logger LOG = LoggerFactory.getLogger(AudioPlayback.class);
    private static final int RATE = 16_000;
    private static final AudioFormat FORMAT = new AudioFormat(RATE, 16, 1, true, false);

    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile Thread player;

    /** Null when audio can be played here, else why not (for a disabled button's tooltip). */
    public static String unavailableReason() {
        if (Boolean.getBoolean("speechwb.noAudio")) {
            return "audio output disabled (-Dspeechwb.noAudio)";
        }
        try {
            DataLine.Info info = new DataLine.Info(SourceDataLine.class, FORMAT);
            if (!AudioSystem.isLineSupported(info)) {
                return "no audio output device found";
            }
            SourceDataLine line = (SourceDataLine) AudioSystem.getLine(info);
            line.open(FORMAT);
            line.close();
            return null;
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            return "no usable audio output (" + e.getMessage() + ")";
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("audio probe failed", e);
            return "no usable audio output";
        }
    }

    /**
     * Plays 16 kHz samples on a background thread, stopping whatever played before.
     *
     * @param position called on the player thread with the sample being played, then -1 at the end
     */
    public synchronized void play(float[] samples, DoubleConsumer position) {
        stop();
        stop.set(false);
        Thread t = new Thread(() -> run(samples, position), "wb-audio");
        t.setDaemon(true);
        player = t;
        t.start();
    }

    public synchronized void stop() {
        stop.set(true);
        Thread t = player;
        if (t != null) {
            try {
                t.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        player = null;
    }

    public boolean isPlaying() {
        Thread t = player;
        return t != null && t.isAlive();
    }

    private void run(float[] samples, DoubleConsumer position) {
        try (SourceDataLine line = AudioSystem.getSourceDataLine(FORMAT)) {
            line.open(FORMAT, RATE / 5 * 2);
            line.start();
            int chunk = RATE / 50;
            byte[] buf = new byte[chunk * 2];
            for (int i = 0; i < samples.length && !stop.get(); i += chunk) {
                int n = Math.min(chunk, samples.length - i);
                for (int k = 0; k < n; k++) {
                    int v = Math.round(Math.max(-1f, Math.min(1f, samples[i + k])) * 32767f);
                    buf[2 * k] = (byte) v;
                    buf[2 * k + 1] = (byte) (v >> 8);
                }
                line.write(buf, 0, 2 * n);
                position.accept(Math.max(0, line.getLongFramePosition()));
            }
            if (!stop.get()) {
                line.drain();
            }
            line.stop();
        } catch (LineUnavailableException | IllegalArgumentException e) {
            LOG.warn("Audio playback failed: {}", e.getMessage());
        } finally {
            position.accept(-1);
        }
    }
}
