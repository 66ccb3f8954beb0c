package org.speechwb.engine.audio;

import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the engine opens audio: WAV (RIFF, RF64, BW64; integer PCM 8/16/24/32-bit, IEEE
 * float 32/64, G.711 μ-law and A-law, plain or WAVE_FORMAT_EXTENSIBLE) and FLAC (through jflac, any bit depth and
 * channel count it decodes). The container is told by content signature, never by extension.
 *
 * <p><b>Failures.</b> Every way a file can be unusable ends in an {@link AudioFileException}
 * naming the file and a {@link AudioFileException.Reason}; no runtime exception escapes, and no
 * allocation or loop is sized by a header's claim rather than the real file size. A scan can
 * therefore probe ten thousand files of unknown quality and simply tally the reasons.
 *
 * <p><b>Lying lengths.</b> A WAV {@code data} chunk that claims more bytes than the file holds is
 * read as far as the file goes, with a warning (sox and libsndfile do the same, and such files are
 * common: recorders that crashed, streaming writers). The sizes {@code 0xFFFFFFFF} and, in an
 * unfinalised header, {@code 0} mean "to the end of the file" and are read silently. A FLAC file
 * that ends before the count STREAMINFO promises likewise yields what can be decoded, with a
 * warning. Details in {@link WavParser} and {@link FlacDecoding}.
 *
 * <p><b>Probe and read agree.</b> For every valid file {@code probe(f).frames()} equals
 * {@code read(f).samples().length} and the rates match: the WAV count is the whole frames actually
 * present, the FLAC count STREAMINFO's total. A FLAC file cut short is noticed from the last frame
 * header in its tail ({@link FlacTail}): its count is then where the audio ends, and
 * {@link AudioInfo#caveat()} says so, as it does for a WAV 'data' chunk that claims too much. A FLAC file whose STREAMINFO leaves the total at 0
 * ("unknown", from streaming encoders) is decoded by {@code probe} to count its frames: slower,
 * but exact, and such files are rare. Only for damaged FLAC files (truncated, bad frames) can
 * {@code read} return fewer samples than {@code probe} reported.
 *
 * <p><b>Plausible rates only.</b> Sample rates outside 1 kHz .. 768 kHz are reported as
 * {@link AudioFileException.Reason#CORRUPT_HEADER}: no recorder writes them, and accepting a
 * header's 1 Hz would let {@link #read16k} turn a kilobyte into gigabytes.
 *
 * <p>All methods are static, stateless and safe to call from many threads.
 */
public final class AudioReader {

    public static final int TARGET_RATE = 16000;

    /** The most frames {@link #read} returns: the largest float array the JVM allocates. */
    static final long MAX_FRAMES = Integer.MAX_VALUE - 8;

    private static final Logger LOG = LoggerFactory.getLogger(AudioReader.class);

    private AudioReader() {
    }

    /**
     * What the header says, reading only the header region (a few kilobytes; one system call for
     * typical files). Frames and rate always match what {@link #read} returns for a valid file.
     */
    public static AudioInfo probe(Path file) throws AudioFileException {
        try (AudioSource source = AudioSource.open(file)) {
            return switch (sniff(source)) {
                case WAV -> {
                    WavLayout layout = WavParser.parse(source);
                    if (layout.caveat() != null) {
                        LOG.debug("{}: {}", file, layout.caveat());
                    }
                    yield layout.toInfo(file);
                }
                case FLAC -> {
                    FlacLayout layout = FlacParser.parse(source);
                    long frames = layout.lengthKnown()
                            ? layout.totalSamples()
                            : FlacDecoding.decode(source, layout, false).frames();
                    String caveat = null;
                    FlacTail.Last last = layout.lengthKnown() ? FlacTail.lastFrame(source, layout) : null;
                    if (last != null && last.end() < frames) {
                        // cut short: the last frame is cut too, so what decodes ends where it starts
                        String promise = String.format(java.util.Locale.ROOT, "STREAMINFO promises %d samples (%.2f s)",
                                frames, (double) frames / layout.sampleRate());
                        if (last.start() == 0) {
                            throw new AudioFileException(file, AudioFileException.Reason.TRUNCATED,
                                    promise + " but the file ends inside the first frame");
                        }
                        caveat = String.format(java.util.Locale.ROOT, "%s but the file ends after about %d (%.2f s):"
                                + " truncated; only that part is used", promise, last.start(),
                                (double) last.start() / layout.sampleRate());
                        frames = last.start();
                    }
                    yield new AudioInfo(file, "flac", "flac", layout.sampleRate(), layout.channels(),
                            layout.bitsPerSample(), frames, caveat);
                }
            };
        } catch (RuntimeException e) {
            throw unexpected(file, e);
        }
    }

    /** The whole file as mono (channels averaged) floats in [-1, 1] at its own sample rate. */
    public static AudioClip read(Path file) throws AudioFileException {
        try (AudioSource source = AudioSource.open(file)) {
            return switch (sniff(source)) {
                case WAV -> {
                    WavLayout layout = WavParser.parse(source);
                    if (layout.caveat() != null) {
                        LOG.warn("{}: {}", file, layout.caveat());
                    }
                    yield new AudioClip(WavDecoder.decode(source, layout), layout.sampleRate());
                }
                case FLAC -> {
                    FlacLayout layout = FlacParser.parse(source);
                    FlacDecoding.Result result = FlacDecoding.decode(source, layout, true);
                    if (result.caveat() != null) {
                        LOG.warn("{}: {}", file, result.caveat());
                    }
                    yield new AudioClip(result.samples(), layout.sampleRate());
                }
            };
        } catch (RuntimeException e) {
            throw unexpected(file, e);
        }
    }

    /** {@link #read}, then band-limited resampling to {@value #TARGET_RATE} Hz. */
    public static AudioClip read16k(Path file) throws AudioFileException {
        AudioClip clip = read(file);
        if (clip.sampleRate() == TARGET_RATE) {
            return clip;
        }
        try {
            return new AudioClip(Resampler.resample(clip.samples(), clip.sampleRate(), TARGET_RATE), TARGET_RATE);
        } catch (RuntimeException e) {
            throw unexpected(file, e);
        }
    }

    private static Container sniff(AudioSource source) throws AudioFileException {
        ByteBuffer head = source.read(0, Container.SIGNATURE_BYTES);
        return Container.sniff(source, head);
    }

    /**
     * The last line of defence: a bug of ours on some file we never imagined must still reach the
     * caller as a per-file failure, not abort a scan of thousands.
     */
    private static AudioFileException unexpected(Path file, RuntimeException e) {
        LOG.error("{}: unexpected failure while decoding", file, e);
        return new AudioFileException(file, AudioFileException.Reason.CORRUPT_HEADER, "unexpected " + e, e);
    }
}
