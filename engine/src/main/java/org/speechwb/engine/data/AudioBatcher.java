package org.speechwb.engine.data;

import org.speechwb.engine.util.Seeds;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.audio.AudioFileException;

/**
 * What pre-training and fine-tuning batches share: size-bucketed batch plans per epoch, decoding
 * through an {@link AudioCache}, skipping files that turn out to be corrupt only when decoded,
 * and prefetching through a {@link BatchStream}. A batch is a pure function of
 * (seed, epoch, index), which is what makes {@link #stream(BatchPosition)} resumable.
 */
public abstract sealed class AudioBatcher permits PretrainBatcher, FinetuneBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(AudioBatcher.class);

    /** Default number of batches decoded ahead of the consumer. */
    public static final int DEFAULT_PREFETCH = 4;

    protected final BatchingConfig config;
    private final List<Utterance> utterances;
    private final int[] planSizes;
    private final AudioCache cache;
    private final AudioLoader loader;
    private final List<Utterance> dropped;
    private final Map<Path, SkippedFile> badFiles = new ConcurrentHashMap<>();
    /** The last few epochs' plans: the prefetcher may be one epoch ahead of the consumer. */
    private final Map<Integer, int[][]> plans = new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, int[][]> eldest) {
            return size() > 2;
        }
    };
    private final int batchesPerEpoch;

    /**
     * @param kept      the utterances that will be batched, any order (sorted by id here)
     * @param planSize  the size each utterance is ordered and bucketed by
     * @param dropped   utterances filtered out by the subclass (too short, too long)
     */
    AudioBatcher(List<Utterance> kept, ToIntFunction<Utterance> planSize, List<Utterance> dropped,
                 BatchingConfig config, AudioCache cache, AudioLoader loader) {
        this.config = Objects.requireNonNull(config, "config");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.loader = Objects.requireNonNull(loader, "loader");
        List<Utterance> sorted = new ArrayList<>(kept);
        sorted.sort(Comparator.comparing(Utterance::id).thenComparing(u -> u.audio().toString()));
        this.utterances = Collections.unmodifiableList(sorted);
        this.planSizes = sorted.stream().mapToInt(planSize).toArray();
        List<Utterance> d = new ArrayList<>(dropped);
        d.sort(Comparator.comparing(Utterance::id));
        this.dropped = Collections.unmodifiableList(d);
        if (utterances.isEmpty()) {
            throw new IllegalArgumentException("no utterances left to batch (" + dropped.size()
                    + " dropped by the size limits min " + config.minSampleSize() + " / max "
                    + config.maxSampleSize() + " samples at 16 kHz)");
        }
        this.batchesPerEpoch = planFor(0).length;
    }

    /** Utterances that are batched, sorted by id. */
    public List<Utterance> utterances() {
        return utterances;
    }

    /** Utterances left out by the size limits, sorted by id. */
    public List<Utterance> dropped() {
        return dropped;
    }

    public BatchingConfig config() {
        return config;
    }

    public AudioCache cache() {
        return cache;
    }

    /** Files that failed to decode so far (each is left out of every batch it belongs to). */
    public List<SkippedFile> loadFailures() {
        List<SkippedFile> out = new ArrayList<>(badFiles.values());
        out.sort(Comparator.comparing(s -> s.file().toString()));
        return out;
    }

    /**
     * Number of batches in {@code epoch}. The same for every epoch: batches are cut from the
     * size-sorted order, and the seed only reorders utterances of equal size and the batches.
     */
    public int batchesInEpoch(int epoch) {
        return batchesPerEpoch;
    }

    /** Utterance indices (into {@link #utterances()}) of every batch of {@code epoch}, in order. */
    public int[][] plan(int epoch) {
        int[][] p = planFor(epoch);
        int[][] copy = new int[p.length][];
        for (int i = 0; i < p.length; i++) {
            copy[i] = p[i].clone();
        }
        return copy;
    }

    /**
     * Decodes and collates batch {@code index} of {@code epoch} on the calling thread.
     *
     * @throws BatchLoadException if a file fails with anything but a decoding error
     */
    public AudioBatch batch(BatchPosition position) {
        int[][] p = planFor(position.epoch());
        if (position.index() >= p.length) {
            throw new IndexOutOfBoundsException(position + " does not exist: the epoch has " + p.length + " batches");
        }
        List<Utterance> rows = new ArrayList<>();
        List<float[]> audio = new ArrayList<>();
        List<SkippedFile> skipped = new ArrayList<>();
        for (int idx : p[position.index()]) {
            Utterance u = utterances.get(idx);
            SkippedFile known = badFiles.get(u.audio());
            if (known != null) {
                skipped.add(known);
                continue;
            }
            try {
                audio.add(cache.get(u.audio(), loader));
                rows.add(u);
            } catch (AudioFileException e) {
                SkippedFile s = SkippedFile.of(e);
                badFiles.putIfAbsent(u.audio(), s);
                skipped.add(s);
                LOG.warn("Leaving out {} from training: {}", u.audio(), s.detail());
            } catch (IOException | RuntimeException e) {
                throw new BatchLoadException(u.audio(), position, e);
            }
        }
        Random rng = new Random(Seeds.mix(config.seed(), position.epoch(), position.index()));
        return collate(position, rows, audio, skipped, rng);
    }

    /** Prefetching stream of all batches from {@code from} on, epoch after epoch, without end. */
    public BatchStream stream(BatchPosition from) {
        return new BatchStream(this, from, Integer.MAX_VALUE, DEFAULT_PREFETCH);
    }

    /** Prefetching stream from {@code from} up to (not including) epoch {@code endEpoch}. */
    public BatchStream stream(BatchPosition from, int endEpoch, int prefetch) {
        return new BatchStream(this, from, endEpoch, prefetch);
    }

    /** Builds the batch from the decoded rows (crop or pad); {@code rng} is private to this batch. */
    abstract AudioBatch collate(BatchPosition position, List<Utterance> rows, List<float[]> audio,
                                List<SkippedFile> skipped, Random rng);

    private synchronized int[][] planFor(int epoch) {
        return plans.computeIfAbsent(epoch, e -> BatchPlanner.plan(planSizes, config.maxTokens(),
                config.effectiveMaxBatchSize(), config.seed(), e));
    }

    /**
     * fairseq's {@code normalize}: layer norm over the whole utterance (population variance, eps
     * 1e-5), applied before cropping as fairseq does; returns {mean, 1/std}.
     */
    public static double[] normalisation(float[] x) {
        return normalisation(x, 1e-5);
    }

    /** Mean and 1 / sqrt(var + eps) of {@code x} (transformers uses eps 1e-7, fairseq 1e-5). */
    public static double[] normalisation(float[] x, double eps) {
        double sum = 0;
        for (float v : x) {
            sum += v;
        }
        double mean = x.length == 0 ? 0 : sum / x.length;
        double sq = 0;
        for (float v : x) {
            double d = v - mean;
            sq += d * d;
        }
        double var = x.length == 0 ? 0 : sq / x.length;
        return new double[] {mean, 1.0 / Math.sqrt(var + eps)};
    }

    /** A normalised copy of a whole utterance (fairseq's normalize, as {@link #normalisation}). */
    public static float[] normalised(float[] x) {
        return normalised(x, 1e-5);
    }

    /** As {@link #normalised(float[])} with another ε. */
    public static float[] normalised(float[] x, double eps) {
        double[] n = normalisation(x, eps);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) ((x[i] - n[0]) * n[1]);
        }
        return out;
    }

    /** Copies {@code length} samples from {@code start}, normalising them if configured. */
    float[] copyRow(float[] src, int start, int length, int rowLength) {
        float[] row = new float[rowLength];
        if (config.normalize()) {
            double[] n = normalisation(src);
            for (int j = 0; j < length; j++) {
                row[j] = (float) ((src[start + j] - n[0]) * n[1]);
            }
        } else {
            System.arraycopy(src, start, row, 0, length);
        }
        return row;
    }
}
