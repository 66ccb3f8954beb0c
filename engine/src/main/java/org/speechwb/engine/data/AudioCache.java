package org.speechwb.engine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Least-recently-used cache of decoded 16 kHz audio, bounded by bytes. Pre-training re-reads the
 * whole corpus every epoch; when the corpus (or a good part of it) fits in memory this avoids
 * decoding and resampling it again. Arrays are shared, never copied: callers must not modify them.
 * Thread-safe; a file is decoded outside the lock, so two threads may occasionally decode the same
 * file at once, which costs time but never correctness.
 */
public final class AudioCache {

    private final long maxBytes;
    private final LinkedHashMap<Path, float[]> entries = new LinkedHashMap<>(256, 0.75f, true);
    private long bytes;
    private long hits;
    private long misses;

    /** @param maxBytes memory budget for cached samples (4 bytes each); 0 disables caching */
    public AudioCache(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("cache size cannot be negative: " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** A cache that keeps nothing. */
    public static AudioCache disabled() {
        return new AudioCache(0);
    }

    /** The cached samples of {@code file}, decoding them with {@code loader} on a miss. */
    public float[] get(Path file, AudioLoader loader) throws IOException {
        synchronized (this) {
            float[] hit = entries.get(file);
            if (hit != null) {
                hits++;
                return hit;
            }
            misses++;
        }
        float[] samples = loader.load16k(file);
        put(file, samples);
        return samples;
    }

    private synchronized void put(Path file, float[] samples) {
        long size = 4L * samples.length;
        if (size > maxBytes) {
            return;
        }
        float[] old = entries.put(file, samples);
        if (old != null) {
            bytes -= 4L * old.length;
        }
        bytes += size;
        Iterator<Map.Entry<Path, float[]>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && it.hasNext()) {
            Map.Entry<Path, float[]> eldest = it.next();
            bytes -= 4L * eldest.getValue().length;
            it.remove();
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int entries() {
        return entries.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }

    public synchronized void clear() {
        entries.clear();
        bytes = 0;
    }
}
