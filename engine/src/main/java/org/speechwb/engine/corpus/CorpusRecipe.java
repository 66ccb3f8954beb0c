package org.speechwb.engine.corpus;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything that determines a synthetic corpus. Given the same recipe and the same espeak-ng
 * and flite versions, the builder writes the same files, whatever the thread count.
 *
 * @param textFile       prompts, one sentence a line
 * @param exclusionFile  sentences to keep out of every split (TSV with a text column, or one a
 *                       line); null for none
 * @param voices         the speaker inventory; the split plan holds some out for test
 * @param splits         sentence fractions and held-out voices
 * @param targets        minutes of audio per split
 * @param seed           drives every random choice (sentence split, voices, prosody, level, padding)
 * @param speedJitter    speaking rate factor drawn per utterance from [1 - j, 1 + j]
 * @param pitchJitter    pitch factor drawn per utterance from [1 - j, 1 + j]
 * @param minPeakDbfs    lower end of the per-utterance peak level
 * @param maxPeakDbfs    upper end of the per-utterance peak level
 * @param minEdgeSilence shortest silence kept before and after speech, in seconds
 * @param maxEdgeSilence longest silence kept before and after speech, in seconds
 * @param threads        TTS processes run at once
 * @param timeout        limit for one TTS program run
 */
public record CorpusRecipe(Path textFile, Path exclusionFile, List<TtsVoice> voices, SplitOptions splits,
                           SplitTargets targets, long seed, double speedJitter, double pitchJitter,
                           double minPeakDbfs, double maxPeakDbfs, double minEdgeSilence, double maxEdgeSilence,
                           int threads, Duration timeout) {

    public static final long DEFAULT_SEED = 20240611L;

    public CorpusRecipe {
        Objects.requireNonNull(textFile, "textFile");
        voices = List.copyOf(voices);
        Objects.requireNonNull(splits, "splits");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(timeout, "timeout");
        if (voices.size() < 2) {
            throw new IllegalArgumentException("at least two voices are needed (one for train, one held out for test)");
        }
        if (speedJitter < 0 || speedJitter >= 0.5 || pitchJitter < 0 || pitchJitter >= 0.5) {
            throw new IllegalArgumentException("speed and pitch jitter must be in [0, 0.5)");
        }
        if (!(minPeakDbfs <= maxPeakDbfs && maxPeakDbfs <= 0 && minPeakDbfs >= -40)) {
            throw new IllegalArgumentException("peak level range must lie in [-40, 0] dBFS, min <= max; got "
                    + minPeakDbfs + ".." + maxPeakDbfs);
        }
        if (!(minEdgeSilence >= 0 && minEdgeSilence <= maxEdgeSilence && maxEdgeSilence <= 2)) {
            throw new IllegalArgumentException("edge silence range must lie in [0, 2] s, min <= max");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
    }

    /** A recipe with the project defaults for everything but the inputs and targets. */
    public static Builder builder(Path textFile, SplitTargets targets) {
        return new Builder(textFile, targets);
    }

    /** Fluent construction with defaults, so callers name only what they change. */
    public static final class Builder {
        private final Path textFile;
        private final SplitTargets targets;
        private Path exclusionFile;
        private List<TtsVoice> voices = DefaultVoices.all();
        private SplitOptions splits = SplitOptions.DEFAULT;
        private long seed = DEFAULT_SEED;
        private double speedJitter = 0.12;
        private double pitchJitter = 0.12;
        private double minPeakDbfs = -18.0;
        private double maxPeakDbfs = -3.0;
        private double minEdgeSilence = 0.10;
        private double maxEdgeSilence = 0.20;
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Duration timeout = Duration.ofSeconds(60);

        private Builder(Path textFile, SplitTargets targets) {
            this.textFile = textFile;
            this.targets = targets;
        }

        public Builder exclusionFile(Path file) {
            this.exclusionFile = file;
            return this;
        }

        public Builder voices(List<TtsVoice> voices) {
            this.voices = voices;
            return this;
        }

        public Builder splits(SplitOptions splits) {
            this.splits = splits;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder jitter(double speed, double pitch) {
            this.speedJitter = speed;
            this.pitchJitter = pitch;
            return this;
        }

        public Builder peakDbfs(double min, double max) {
            this.minPeakDbfs = min;
            this.maxPeakDbfs = max;
            return this;
        }

        public Builder edgeSilence(double minSeconds, double maxSeconds) {
            this.minEdgeSilence = minSeconds;
            this.maxEdgeSilence = maxSeconds;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public CorpusRecipe build() {
            return new CorpusRecipe(textFile, exclusionFile, voices, splits, targets, seed, speedJitter, pitchJitter,
                    minPeakDbfs, maxPeakDbfs, minEdgeSilence, maxEdgeSilence, threads, timeout);
        }
    }
}
