package org.speechwb.engine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.speechwb.engine.audio.AudioClip;
import org.speechwb.engine.audio.AudioFileException;
import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.audio.FlacWriter;
import org.speechwb.engine.audio.Resampler;
import org.speechwb.engine.audio.WavWriter;
import org.speechwb.engine.util.FileTrees;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the audio input path the trainer's data loader runs per example: decode, resample to
 * 16 kHz, take a random crop. One thread, because loader throughput per core is what decides how
 * many cores a training run must leave to data loading.
 *
 * <p>The test material is speech: the repository's real recordings, concatenated into files of 5
 * to 60 seconds with random gain and a faint noise floor (so that FLAC compresses it like real
 * audio, not like digital silence). Without the recordings it falls back to a synthetic voice
 * (harmonics on a gliding pitch, syllable-rate envelope, noise bursts).
 */
@Command(name = "bench-audio",
        mixinStandardHelpOptions = true,
        description = "Benchmark audio decoding: decode + resample to 16 kHz + random crop, one thread; and header probing.")
public final class AudioBenchCommand implements Callable<Integer> {

    private static final int[] DURATIONS_S = {5, 8, 12, 20, 30, 45, 60};

    @Option(names = "--seconds", description = "Audio per format to generate, in seconds (default: ${DEFAULT-VALUE}).")
    int totalSeconds = 240;

    @Option(names = "--repeats", description = "Timed passes over the files per format (default: ${DEFAULT-VALUE}).")
    int repeats = 3;

    @Option(names = "--crop", description = "Crop length in 16 kHz samples (default: ${DEFAULT-VALUE}).")
    int crop = 250_000;

    @Option(names = "--probe-files", description = "Small files to generate for the probe benchmark (default: ${DEFAULT-VALUE}).")
    int probeFiles = 2000;

    @Option(names = "--speech-dir", description = "Folder of WAV recordings to build the test files from "
            + "(default: datasets/real-speech/wav under the workbench home).")
    Path speechDir;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--keep", description = "Keep the generated files and print where they are.")
    boolean keep;

    /** One format under test: its files and how much audio they hold. */
    private record Format(String name, List<Path> files, double audioSeconds, double target) {
    }

    @Override
    public Integer call() throws IOException {
        Path work = Files.createTempDirectory("speechwb-bench-audio");
        try {
            Random random = new Random(seed);
            float[] speech = speechPool(random);
            List<Format> formats = generate(work, speech, random);
            System.out.printf("bench-audio: %s, %d files of 5-60 s (%.0f s) per format, %d timed passes after a warm-up, "
                            + "crops of %d samples, 1 thread%n",
                    speechDir != null || defaultSpeechDir() != null ? "real speech" : "synthetic speech",
                    formats.get(0).files().size(), formats.get(0).audioSeconds(), repeats, crop);

            System.out.printf("%n%-26s %6s %9s %9s %13s %9s%n", "format", "reads", "audio s", "wall s", "x real time", "target");
            for (Format format : formats) {
                measure(format, new Random(seed));
            }
            measureProbe(work.resolve("probe"), speech, random);
            if (keep) {
                System.out.println("files kept in " + work);
            }
            return 0;
        } finally {
            if (!keep) {
                FileTrees.delete(work);
            }
        }
    }

    private List<Format> generate(Path work, float[] speech, Random random) throws IOException {
        Path dir = Files.createDirectories(work.resolve("files"));
        List<Path> wav16 = new ArrayList<>();
        List<Path> wav22 = new ArrayList<>();
        List<Path> wav44 = new ArrayList<>();
        List<Path> flac16 = new ArrayList<>();
        double seconds = 0;
        for (int i = 0; seconds < totalSeconds; i++) {
            int duration = DURATIONS_S[i % DURATIONS_S.length];
            float[] x = excerpt(speech, duration * 16000, random);
            String stem = String.format("utt%03d_%02ds", i, duration);
            wav16.add(write(dir.resolve(stem + "_16k.wav"), x, 16000));
            wav22.add(write(dir.resolve(stem + "_22k.wav"), Resampler.resample(x, 16000, 22050), 22050));
            wav44.add(write(dir.resolve(stem + "_44k.wav"), Resampler.resample(x, 16000, 44100), 44100));
            Path flac = dir.resolve(stem + "_16k.flac");
            FlacWriter.write(flac, x, 16000);
            flac16.add(flac);
            seconds += duration;
        }
        return List.of(
                new Format("WAV 16 kHz 16-bit", wav16, seconds, 500),
                new Format("WAV 22.05 kHz 16-bit", wav22, seconds, 100),
                new Format("FLAC 16 kHz 16-bit", flac16, seconds, 100),
                new Format("WAV 44.1 kHz 16-bit (extra)", wav44, seconds, 0));
    }

    private void measure(Format format, Random random) throws AudioFileException {
        double checksum = 0;
        checksum += pass(format.files(), random); // warm-up: JIT, page cache, resampler tables
        long start = System.nanoTime();
        for (int r = 0; r < repeats; r++) {
            checksum += pass(format.files(), random);
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double audio = format.audioSeconds() * repeats;
        double speed = audio / wall;
        String target = format.target() > 0
                ? String.format("%s%.0fx %s", ">=", format.target(), speed >= format.target() ? "ok" : "MISSED")
                : "-";
        System.out.printf("%-26s %6d %9.1f %9.3f %13.0f %9s%n", format.name(), format.files().size() * repeats,
                audio, wall, speed, target);
        if (Double.isNaN(checksum)) {
            System.out.println("(checksum NaN)"); // keeps the work observable to the JIT
        }
    }

    /** Decode + resample + random crop of every file once; returns a checksum of the crops. */
    private double pass(List<Path> files, Random random) throws AudioFileException {
        double sum = 0;
        for (Path file : files) {
            AudioClip clip = AudioReader.read16k(file);
            float[] samples = clip.samples();
            float[] cropped;
            if (samples.length > crop) {
                int offset = random.nextInt(samples.length - crop + 1);
                cropped = Arrays.copyOfRange(samples, offset, offset + crop);
            } else {
                cropped = samples;
            }
            sum += cropped[cropped.length / 2];
        }
        return sum;
    }

    private void measureProbe(Path dir, float[] speech, Random random) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < probeFiles; i++) {
            float[] x = excerpt(speech, 8000 + random.nextInt(24000), random);
            Path file = dir.resolve(String.format("p%05d.%s", i, i % 2 == 0 ? "wav" : "flac"));
            if (i % 2 == 0) {
                write(file, x, 16000);
            } else {
                FlacWriter.write(file, x, 16000);
            }
            files.add(file);
        }
        long frames = 0;
        for (Path file : files) {
            frames += AudioReader.probe(file).frames(); // warm-up
        }
        int passes = 3;
        long start = System.nanoTime();
        for (int p = 0; p < passes; p++) {
            for (Path file : files) {
                frames += AudioReader.probe(file).frames();
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        System.out.printf("%nprobe: %d files (half WAV, half FLAC), %d passes, page cache warm: %.0f files/s%s%n",
                files.size(), passes, files.size() * passes / wall, frames < 0 ? "?" : "");
    }

    private static Path write(Path file, float[] x, int rate) throws IOException {
        WavWriter.write(file, x, rate, WavWriter.Encoding.PCM_S16);
        return file;
    }

    /** {@code length} samples of the pool from a random start, with a random gain and noise floor. */
    private static float[] excerpt(float[] pool, int length, Random random) {
        float[] x = new float[length];
        int start = random.nextInt(pool.length);
        float gain = (float) Math.pow(10, (random.nextDouble() * 12 - 6) / 20);
        for (int i = 0; i < length; i++) {
            float v = pool[(start + i) % pool.length] * gain + (float) (random.nextGaussian() * 3e-4);
            x[i] = Math.max(-1f, Math.min(1f, v));
        }
        return x;
    }

    /** All recordings of the speech folder at 16 kHz, end to end; or a synthetic voice. */
    private float[] speechPool(Random random) throws IOException {
        Path dir = speechDir != null ? speechDir : defaultSpeechDir();
        if (dir != null) {
            List<float[]> parts = new ArrayList<>();
            int total = 0;
            try (Stream<Path> list = Files.list(dir)) {
                for (Path file : list.sorted().toList()) {
                    try {
                        float[] x = AudioReader.read16k(file).samples();
                        parts.add(x);
                        total += x.length;
                    } catch (AudioFileException e) {
                        System.out.println("skipping " + e.getMessage());
                    }
                }
            }
            if (total > 0) {
                float[] pool = new float[total];
                int at = 0;
                for (float[] part : parts) {
                    System.arraycopy(part, 0, pool, at, part.length);
                    at += part.length;
                }
                return pool;
            }
        }
        return syntheticVoice(60 * 16000, random);
    }

    private static Path defaultSpeechDir() {
        String home = System.getProperty("speechwb.home", ".");
        Path dir = Path.of(home, "datasets", "real-speech", "wav");
        return Files.isDirectory(dir) ? dir : null;
    }

    /** Harmonics on a gliding pitch under a syllable-rate envelope, with fricative-like noise bursts. */
    private static float[] syntheticVoice(int length, Random random) {
        float[] x = new float[length];
        double phase = 0;
        for (int i = 0; i < length; i++) {
            double t = i / 16000.0;
            double f0 = 120 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / 16000;
            double voiced = 0;
            for (int h = 1; h <= 12; h++) {
                voiced += Math.sin(h * phase) / h;
            }
            double envelope = Math.max(0, Math.sin(2 * Math.PI * 4 * t));
            double burst = (i / 4000) % 5 == 0 ? random.nextGaussian() * 0.05 : 0;
            x[i] = (float) (0.15 * voiced * envelope + burst);
        }
        return x;
    }

}
