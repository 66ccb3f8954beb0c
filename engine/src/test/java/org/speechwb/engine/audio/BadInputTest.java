package org.speechwb.engine.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.speechwb.engine.audio.AudioFileException.Reason.CORRUPT_HEADER;
import static org.speechwb.engine.audio.AudioFileException.Reason.EMPTY;
import static org.speechwb.engine.audio.AudioFileException.Reason.NOT_AUDIO;
import static org.speechwb.engine.audio.AudioFileException.Reason.TRUNCATED;
import static org.speechwb.engine.audio.AudioFileException.Reason.UNREADABLE;
import static org.speechwb.engine.audio.AudioFileException.Reason.UNSUPPORTED_ENCODING;

/**
 * Every kind of bad input the reader must survive, each hand-built, each checked for the exact
 * reason, for a message that names the file, and for probe and read agreeing about it.
 */
class BadInputTest {

    @TempDir
    Path dir;

    // ---- not audio, or not readable -------------------------------------------------------

    @Test
    void textFileIsNotAudio() throws IOException {
        assertRejected(file("notes.wav", "hello, this is text\n".getBytes()), NOT_AUDIO);
    }

    @Test
    void pngIsNotAudio() throws IOException {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
        assertRejected(file("image.wav", png), NOT_AUDIO);
    }

    @Test
    void riffThatIsNotWaveIsNotAudio() throws IOException {
        byte[] avi = RiffBytes.wave().form("AVI ").chunk("LIST", new byte[8]).bytes();
        assertRejected(file("movie.wav", avi), NOT_AUDIO);
    }

    @Test
    void id3TagFollowedByMp3IsNotAudio() throws IOException {
        byte[] mp3 = {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 2, 0, 0, (byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64};
        assertRejected(file("song.flac", mp3), NOT_AUDIO);
    }

    @Test
    void zeroByteFileIsEmpty() throws IOException {
        assertRejected(file("zero.wav", new byte[0]), EMPTY);
    }

    @Test
    void fileCutInsideTheSignatureIsTruncated() throws IOException {
        assertRejected(file("cut.wav", "RIF".getBytes()), TRUNCATED);
        assertRejected(file("cut2.wav", "RIFF\0\0\0\0WA".getBytes()), TRUNCATED);
    }

    @Test
    void missingFileIsUnreadable() {
        assertRejected(dir.resolve("does-not-exist.wav"), UNREADABLE);
    }

    @Test
    void directoryIsUnreadable() throws IOException {
        assertRejected(Files.createDirectory(dir.resolve("folder.wav")), UNREADABLE);
    }

    @Test
    void deviceOrPipeIsUnreadableRatherThanBlocking() {
        Path device = Path.of("/dev/null");
        assumeThat(Files.exists(device)).as("a Unix device file").isTrue();
        AudioFileException e = catchThrowableOfType(AudioFileException.class, () -> AudioReader.probe(device));
        assertThat(e.reason()).isEqualTo(UNREADABLE);
        assertThat(e.getMessage()).contains("/dev/null").contains("not a regular file");
    }

    @Test
    void fileWithoutReadPermissionIsUnreadable() throws IOException {
        Path file = validWav("locked.wav");
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        } catch (UnsupportedOperationException e) {
            assumeThat(false).as("POSIX permissions").isTrue();
        }
        assumeThat(Files.isReadable(file)).as("running as a user that permissions bind (not root)").isFalse();
        assertRejected(file, UNREADABLE);
    }

    // ---- WAV headers that lie or are missing parts -----------------------------------------

    @Test
    void riffHeaderAloneIsTruncated() throws IOException {
        assertRejected(file("header-only.wav", RiffBytes.wave().bytes()), TRUNCATED);
    }

    @Test
    void fileEndingInsideFmtIsTruncated() throws IOException {
        byte[] full = RiffBytes.wave().chunk("fmt ", RiffBytes.pcm16Mono(16000)).bytes();
        assertRejected(file("cut-fmt.wav", Arrays.copyOf(full, full.length - 6)), TRUNCATED);
    }

    @Test
    void missingFmtChunkIsCorrupt() throws IOException {
        byte[] noFmt = RiffBytes.wave().chunk("data", RiffBytes.s16(1, 2, 3, 4)).bytes();
        assertRejected(file("no-fmt.wav", noFmt), CORRUPT_HEADER);
    }

    @Test
    void missingDataChunkIsTruncated() throws IOException {
        byte[] noData = RiffBytes.wave().chunk("fmt ", RiffBytes.pcm16Mono(16000)).chunk("LIST", new byte[10]).bytes();
        assertRejected(file("no-data.wav", noData), TRUNCATED);
    }

    @Test
    void fmtChunkShorterThanSixteenBytesIsCorrupt() throws IOException {
        byte[] bytes = RiffBytes.wave().chunk("fmt ", new byte[12]).chunk("data", RiffBytes.s16(1, 2)).bytes();
        assertRejected(file("short-fmt.wav", bytes), CORRUPT_HEADER);
    }

    @Test
    void zeroChannelsZeroRateAndBadBlockAlignAreCorrupt() throws IOException {
        byte[] data = RiffBytes.s16(1, 2, 3, 4);
        assertRejected(file("ch0.wav", wav(RiffBytes.fmt(1, 0, 16000, 2, 16), data)), CORRUPT_HEADER);
        assertRejected(file("rate0.wav", wav(RiffBytes.fmt(1, 1, 0, 2, 16), data)), CORRUPT_HEADER);
        assertRejected(file("rate-huge.wav", wav(RiffBytes.fmt(1, 1, 2_000_000_000, 2, 16), data)), CORRUPT_HEADER);
        assertRejected(file("rate-tiny.wav", wav(RiffBytes.fmt(1, 1, 3, 2, 16), data)), CORRUPT_HEADER);
        assertRejected(file("align0.wav", wav(RiffBytes.fmt(1, 1, 16000, 0, 16), data)), CORRUPT_HEADER);
        assertRejected(file("align-odd.wav", wav(RiffBytes.fmt(1, 2, 16000, 3, 16), data)), CORRUPT_HEADER);
        assertRejected(file("align-small.wav", wav(RiffBytes.fmt(1, 1, 16000, 1, 16), data)), CORRUPT_HEADER);
        assertRejected(file("bits0.wav", wav(RiffBytes.fmt(1, 1, 16000, 2, 0), data)), CORRUPT_HEADER);
    }

    @Test
    void compressedAndExoticEncodingsAreUnsupported() throws IOException {
        byte[] data = new byte[64];
        assertRejected(file("mulaw16.wav", wav(RiffBytes.fmt(7, 1, 8000, 2, 16), data)), CORRUPT_HEADER);
        assertRejected(file("msadpcm.wav", wav(RiffBytes.fmt(2, 1, 8000, 256, 4), data)), UNSUPPORTED_ENCODING);
        assertRejected(file("imaadpcm.wav", wav(RiffBytes.fmt(0x11, 1, 8000, 256, 4), data)), UNSUPPORTED_ENCODING);
        assertRejected(file("float16.wav", wav(RiffBytes.fmt(3, 1, 8000, 2, 16), data)), UNSUPPORTED_ENCODING);
        assertRejected(file("pcm48.wav", wav(RiffBytes.fmt(1, 1, 8000, 6, 48), data)), UNSUPPORTED_ENCODING);
        assertRejected(file("rifx.wav", RiffBytes.wave().riffId("RIFX").chunk("fmt ", RiffBytes.pcm16Mono(8000)).bytes()),
                UNSUPPORTED_ENCODING);
    }

    @Test
    void extensibleWithForeignSubFormatIsUnsupported() throws IOException {
        byte[] ambisonic = RiffBytes.guid(1);
        ambisonic[15] = 0x00; // not the KSDATAFORMAT suffix
        byte[] fmt = RiffBytes.fmtExtensible(4, 48000, 16, 16, ambisonic);
        assertRejected(file("ambi.wav", wav(fmt, new byte[64])), UNSUPPORTED_ENCODING);
        byte[] adpcm = RiffBytes.fmtExtensible(1, 8000, 8, 8, RiffBytes.guid(2));
        assertRejected(file("ext-adpcm.wav", wav(adpcm, new byte[64])), UNSUPPORTED_ENCODING);
    }

    @Test
    void extensibleFmtChunkTooShortIsCorrupt() throws IOException {
        byte[] fmt = Arrays.copyOf(RiffBytes.fmtExtensible(1, 16000, 16, 16, RiffBytes.guid(1)), 18);
        assertRejected(file("ext-short.wav", wav(fmt, RiffBytes.s16(1, 2))), CORRUPT_HEADER);
    }

    @Test
    void zeroLengthDataIsEmpty() throws IOException {
        assertRejected(file("empty-data.wav", wav(RiffBytes.pcm16Mono(16000), new byte[0])), EMPTY);
        Path written = dir.resolve("written-empty.wav");
        WavWriter.write(written, new float[0], 16000, WavWriter.Encoding.PCM_S16);
        assertRejected(written, EMPTY);
    }

    @Test
    void dataChunkCutMidFrameIsTruncated() throws IOException {
        byte[] oneByte = RiffBytes.wave().chunk("fmt ", RiffBytes.pcm16Mono(16000)).chunk("data", 2, new byte[1], false).bytes();
        assertRejected(file("half-frame.wav", oneByte), TRUNCATED);
        byte[] nothing = RiffBytes.wave().chunk("fmt ", RiffBytes.pcm16Mono(16000)).chunk("data", 1000, new byte[0], false).bytes();
        assertRejected(file("no-samples.wav", nothing), TRUNCATED);
    }

    @Test
    void dataChunkClaimingMoreThanTheFileReadsWhatIsThere() throws IOException {
        byte[] bytes = RiffBytes.wave().chunk("fmt ", RiffBytes.pcm16Mono(16000))
                .chunk("data", 1_000_000, RiffBytes.s16(100, 200, 300, 400, 500), false).raw(new byte[] {7}).bytes();
        Path file = file("oversized.wav", bytes);
        assertThat(AudioReader.probe(file).frames()).isEqualTo(5); // 11 bytes: 5 whole frames, odd byte dropped
        assertThat(AudioReader.read(file).samples()).containsExactly(
                100 / 32768f, 200 / 32768f, 300 / 32768f, 400 / 32768f, 500 / 32768f);
    }

    @Test
    void twoGigabyteClaimInAOneKilobyteFileAllocatesOnlyWhatIsThere() throws IOException {
        byte[] samples = new byte[1000];
        samples[0] = 0x00;
        samples[1] = 0x40; // first sample +0.5
        byte[] bytes = RiffBytes.wave().riffSize(0x7FFF_FFF0L).chunk("fmt ", RiffBytes.pcm16Mono(16000))
                .chunk("data", 0x7FFF_FFF0L, samples, false).bytes();
        Path file = file("liar.wav", bytes);
        AudioInfo info = AudioReader.probe(file);
        float[] read = AudioReader.read(file).samples();
        assertThat(info.frames()).isEqualTo(500);
        assertThat(read).hasSize(500);
        assertThat(read[0]).isEqualTo(0.5f);
    }

    @Test
    void fmtChunkClaimingTwoGigabytesDoesNotAllocateThem() throws IOException {
        byte[] fmt = RiffBytes.pcm16Mono(16000);
        byte[] bytes = RiffBytes.wave().chunk("fmt ", 0x7FFF_FFF0L, fmt, false).raw(new byte[1000]).bytes();
        assertRejected(file("fmt-liar.wav", bytes), TRUNCATED);
    }

    @Test
    void streamingSizeMeansToTheEndOfTheFile() throws IOException {
        byte[] bytes = RiffBytes.wave().riffSize(0xFFFF_FFFFL).chunk("fmt ", RiffBytes.pcm16Mono(16000))
                .chunk("data", 0xFFFF_FFFFL, RiffBytes.s16(1, 2, 3), false).bytes();
        Path file = file("stream.wav", bytes);
        assertThat(AudioReader.probe(file).frames()).isEqualTo(3);
        assertThat(AudioReader.read(file).samples()).containsExactly(1 / 32768f, 2 / 32768f, 3 / 32768f);
    }

    @Test
    void unfinalisedHeaderWithZeroSizesReadsToTheEnd() throws IOException {
        byte[] bytes = RiffBytes.wave().riffSize(0).chunk("fmt ", RiffBytes.pcm16Mono(16000))
                .chunk("data", 0, RiffBytes.s16(5, 6), false).bytes();
        Path file = file("unfinalised.wav", bytes);
        assertThat(AudioReader.read(file).samples()).containsExactly(5 / 32768f, 6 / 32768f);
        assertThat(AudioReader.probe(file).frames()).isEqualTo(2);
    }

    @Test
    void rf64UsesTheDs64DataSize() throws IOException {
        byte[] ds64 = ByteBuffer.allocate(28).order(ByteOrder.LITTLE_ENDIAN).putLong(0).putLong(4).putLong(2).putInt(0).array();
        byte[] bytes = RiffBytes.wave().riffId("RF64").riffSize(0xFFFF_FFFFL).chunk("ds64", ds64)
                .chunk("fmt ", RiffBytes.pcm16Mono(16000))
                .chunk("data", 0xFFFF_FFFFL, RiffBytes.s16(9, 10, 11), false).bytes(); // one frame past ds64's size
        Path file = file("rf64.wav", bytes);
        assertThat(AudioReader.probe(file).frames()).isEqualTo(2);
        assertThat(AudioReader.read(file).samples()).containsExactly(9 / 32768f, 10 / 32768f);
    }

    // ---- chunk layout oddities that must still read ---------------------------------------

    @Test
    void oddSizedChunkWithPadByteIsSkippedCorrectly() throws IOException {
        byte[] bytes = RiffBytes.wave().chunk("fmt ", RiffBytes.pcm16Mono(16000))
                .chunk("LIST", new byte[] {'I', 'N', 'F', 'O', 'x'})
                .chunk("data", RiffBytes.s16(1000, -1000)).bytes();
        assertReads(file("padded.wav", bytes), 1000 / 32768f, -1000 / 32768f);
    }

    @Test
    void oddSizedChunkMissingItsPadByteIsTolerated() throws IOException {
        byte[] bytes = RiffBytes.wave().chunk("fmt ", RiffBytes.pcm16Mono(16000))
                .chunk("junk", 3, new byte[] {1, 2, 3}, false)
                .chunk("data", RiffBytes.s16(1000, -1000)).bytes();
        assertReads(file("unpadded.wav", bytes), 1000 / 32768f, -1000 / 32768f);
    }

    @Test
    void chunksAfterDataAreIgnored() throws IOException {
        byte[] bytes = RiffBytes.wave().chunk("fmt ", RiffBytes.pcm16Mono(16000))
                .chunk("data", RiffBytes.s16(1, 2, 3))
                .chunk("LIST", new byte[40]).chunk("id3 ", new byte[33]).bytes();
        assertReads(file("trailing.wav", bytes), 1 / 32768f, 2 / 32768f, 3 / 32768f);
    }

    @Test
    void fmtAfterDataIsFound() throws IOException {
        byte[] bytes = RiffBytes.wave().chunk("data", RiffBytes.s16(4, 5)).chunk("fmt ", RiffBytes.pcm16Mono(8000)).bytes();
        Path file = file("fmt-last.wav", bytes);
        assertReads(file, 4 / 32768f, 5 / 32768f);
        assertThat(AudioReader.probe(file).sampleRate()).isEqualTo(8000);
    }

    @Test
    void chunkClaimingTwoGigabytesBeforeDataIsTruncated() throws IOException {
        byte[] bytes = RiffBytes.wave().chunk("fmt ", RiffBytes.pcm16Mono(16000))
                .chunk("LIST", 0x7FFF_FFF0L, new byte[100], false).chunk("data", RiffBytes.s16(1, 2)).bytes();
        assertRejected(file("list-liar.wav", bytes), TRUNCATED);
    }

    // ---- FLAC -----------------------------------------------------------------------------

    @Test
    void flacCutInsideStreamInfoIsTruncated() throws IOException {
        byte[] flac = validFlacBytes();
        assertRejected(file("cut-si.flac", Arrays.copyOf(flac, 20)), TRUNCATED);
        assertRejected(file("cut-sig.flac", Arrays.copyOf(flac, 6)), TRUNCATED);
    }

    @Test
    void flacWithoutStreamInfoFirstIsCorrupt() throws IOException {
        byte[] flac = validFlacBytes();
        flac[4] = (byte) ((flac[4] & 0x80) | 4); // first block claims to be VORBIS_COMMENT
        assertRejected(file("no-si.flac", flac), CORRUPT_HEADER);
    }

    @Test
    void flacWithZeroSampleRateIsCorrupt() throws IOException {
        byte[] flac = validFlacBytes();
        flac[18] = 0;
        flac[19] = 0;
        flac[20] &= 0x0F;
        assertRejected(file("rate0.flac", flac), CORRUPT_HEADER);
    }

    @Test
    void flacWithMetadataOnlyIsTruncatedOrEmpty() throws IOException {
        byte[] flac = validFlacBytes();
        byte[] metadataOnly = Arrays.copyOf(flac, 42);
        metadataOnly[4] |= (byte) 0x80; // STREAMINFO is the last block
        assertRejected(file("meta-only.flac", metadataOnly), TRUNCATED);
        metadataOnly[8 + 13] &= (byte) 0xF0;
        Arrays.fill(metadataOnly, 8 + 14, 8 + 18, (byte) 0); // total unknown
        assertRejected(file("meta-only-unknown.flac", metadataOnly), EMPTY);
    }

    @Test
    void flacMetadataBlockRunningPastTheEndIsTruncated() throws IOException {
        byte[] flac = validFlacBytes();
        byte[] bytes = Arrays.copyOf(flac, 42 + 4 + 10);
        bytes[4] &= 0x7F; // STREAMINFO not last
        bytes[42] = (byte) 0x81; // PADDING, last
        bytes[43] = (byte) 0x7F; // claims ~8 MB
        assertRejected(file("meta-liar.flac", bytes), TRUNCATED);
    }

    @Test
    @Timeout(120)
    void flacFramesOfGarbageAreCorruptAndDecodingEnds() throws IOException {
        byte[] flac = validFlacBytes();
        byte[] garbage = Arrays.copyOf(flac, 42 + 200_000);
        java.util.Random random = new java.util.Random(42);
        for (int i = 42; i < garbage.length; i++) {
            garbage[i] = (byte) random.nextInt(256);
            if (i % 997 == 0) {
                garbage[i] = (byte) 0xFF; // plenty of frame sync candidates
                garbage[++i] = (byte) 0xF8;
            }
        }
        garbage[4] |= (byte) 0x80;
        Path file = file("garbage.flac", garbage);
        AudioFileException e = catchThrowableOfType(AudioFileException.class, () -> AudioReader.read(file));
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(CORRUPT_HEADER);
        assertThat(e.getMessage()).contains(file.toString()).contains("no intact FLAC frame");
    }

    @Test
    @Timeout(120)
    void flacWithUnknownLengthAndGarbageFramesIsCorruptForProbeToo() throws IOException {
        byte[] flac = validFlacBytes();
        byte[] garbage = Arrays.copyOf(flac, 42 + 50_000);
        java.util.Random random = new java.util.Random(7);
        for (int i = 42; i < garbage.length; i++) {
            garbage[i] = (byte) random.nextInt(256);
        }
        garbage[4] |= (byte) 0x80;
        garbage[8 + 13] &= (byte) 0xF0;
        Arrays.fill(garbage, 8 + 14, 8 + 18, (byte) 0); // total unknown: probe must decode to count
        assertRejected(file("garbage-unknown.flac", garbage), CORRUPT_HEADER);
    }

    @Test
    void flacWhoseStreamInfoClaimsHugeLengthReturnsWhatDecodes() throws IOException {
        Path plain = dir.resolve("short.flac");
        FlacWriter.write(plain, Signals.tone(440, 16000, 5000, 0.5), 16000);
        byte[] flac = Files.readAllBytes(plain);
        flac[8 + 13] |= 0x0F;
        Arrays.fill(flac, 8 + 14, 8 + 18, (byte) 0xFF); // 2^36 - 1 samples
        Path file = file("long-liar.flac", flac);
        assertThat(AudioReader.read(file).samples()).hasSize(5000);
    }

    // ---- robustness under random damage ---------------------------------------------------

    @Test
    @Timeout(120)
    void randomlyDamagedFilesNeverEscapeAsRuntimeExceptions() throws IOException {
        withQuietReader(this::fuzz);
    }

    /** Runs {@code body} with the reader's expected "damaged file" warnings silenced. */
    private static void withQuietReader(IoAction body) throws IOException {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(AudioReader.class);
        ch.qos.logback.classic.Level saved = log.getLevel();
        log.setLevel(ch.qos.logback.classic.Level.ERROR);
        try {
            body.run();
        } finally {
            log.setLevel(saved);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    @Test
    @Timeout(120) // a hang guard, not a speed requirement: jflac has been seen to spin on garbage
    void damagedFlacFramesNeverHangOrEscape() throws IOException {
        byte[] known = validFlacBytes();
        byte[] unknown = known.clone();
        unknown[8 + 13] &= (byte) 0xF0;
        Arrays.fill(unknown, 8 + 14, 8 + 18, (byte) 0);
        byte[] reference;
        try (var in = getClass().getResourceAsStream("libflac-stereo24.flac")) {
            reference = in.readAllBytes();
        }
        byte[][] seeds = {known, unknown, reference};
        java.util.Random random = new java.util.Random(99);
        Path file = dir.resolve("flac-fuzz.flac");
        withQuietReader(() -> {
            for (int round = 0; round < 240; round++) {
                byte[] bytes = seeds[round % seeds.length].clone();
                int edits = 1 + random.nextInt(20);
                for (int e = 0; e < edits; e++) {
                    bytes[42 + random.nextInt(bytes.length - 42)] = (byte) random.nextInt(256);
                }
                if (random.nextInt(3) == 0) {
                    bytes = Arrays.copyOf(bytes, 42 + random.nextInt(bytes.length - 42));
                }
                if (random.nextInt(5) == 0) {
                    int extra = random.nextInt(5000);
                    bytes = Arrays.copyOf(bytes, bytes.length + extra); // zero or garbage tail
                    for (int i = bytes.length - extra; i < bytes.length && random.nextBoolean(); i++) {
                        bytes[i] = (byte) random.nextInt(256);
                    }
                }
                Files.write(file, bytes);
                for (int call = 0; call < 2; call++) {
                    try {
                        if (call == 0) {
                            AudioReader.probe(file);
                        } else {
                            AudioReader.read(file);
                        }
                    } catch (AudioFileException e) {
                        assertThat(e.getMessage()).contains(file.toString());
                        assertThat(e.reason()).isIn(CORRUPT_HEADER, TRUNCATED, EMPTY, UNSUPPORTED_ENCODING);
                    }
                }
            }
        });
    }

    private void fuzz() throws IOException {
        byte[][] seeds = {Files.readAllBytes(validWav("seed.wav")), validFlacBytes(),
                Files.readAllBytes(writeWav("seed24.wav", WavWriter.Encoding.PCM_S24, true))};
        java.util.Random random = new java.util.Random(1234);
        Path file = dir.resolve("fuzz.bin");
        for (int round = 0; round < 300; round++) {
            byte[] bytes = seeds[round % seeds.length].clone();
            int edits = 1 + random.nextInt(8);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(Math.min(bytes.length, random.nextBoolean() ? 64 : bytes.length));
                bytes[at] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) {
                bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            }
            Files.write(file, bytes);
            AudioInfo info = null;
            try {
                info = AudioReader.probe(file);
            } catch (AudioFileException e) {
                assertThat(e.getMessage()).contains(file.toString());
            }
            try {
                AudioClip clip = AudioReader.read16k(file);
                assertThat(clip.sampleRate()).isEqualTo(16000);
                if (info != null && info.container().equals("wav")) {
                    assertThat((long) clip.samples().length).isEqualTo(info.framesAt(16000));
                }
            } catch (AudioFileException e) {
                assertThat(e.getMessage()).contains(file.toString());
            }
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] wav(byte[] fmt, byte[] data) {
        return RiffBytes.wave().chunk("fmt ", fmt).chunk("data", data).bytes();
    }

    private Path validWav(String name) throws IOException {
        Path file = dir.resolve(name);
        WavWriter.write(file, Signals.noisyTone(440, 16000, 800, 9), 16000, WavWriter.Encoding.PCM_S16);
        return file;
    }

    private Path writeWav(String name, WavWriter.Encoding encoding, boolean extensible) throws IOException {
        Path file = dir.resolve(name);
        float[][] stereo = {Signals.noisyTone(440, 22050, 700, 1), Signals.noisyTone(660, 22050, 700, 2)};
        WavWriter.write(file, stereo, 22050, encoding, extensible);
        return file;
    }

    private byte[] validFlacBytes() throws IOException {
        Path file = dir.resolve("valid-" + System.nanoTime() + ".flac");
        FlacWriter.write(file, Signals.noisyTone(440, 16000, 9000, 3), 16000);
        return Files.readAllBytes(file);
    }

    private static void assertReads(Path file, float... expected) throws AudioFileException {
        assertThat(AudioReader.read(file).samples()).containsExactly(expected);
        assertThat(AudioReader.probe(file).frames()).isEqualTo(expected.length);
    }

    /** Both probe and read reject the file for {@code reason}, naming it; read16k too. */
    private static void assertRejected(Path file, AudioFileException.Reason reason) {
        AudioFileException fromProbe = catchThrowableOfType(AudioFileException.class, () -> AudioReader.probe(file));
        AudioFileException fromRead = catchThrowableOfType(AudioFileException.class, () -> AudioReader.read(file));
        AudioFileException fromRead16k = catchThrowableOfType(AudioFileException.class, () -> AudioReader.read16k(file));
        for (AudioFileException e : new AudioFileException[] {fromProbe, fromRead, fromRead16k}) {
            assertThat(e).as("%s should be rejected", file.getFileName()).isNotNull();
            assertThat(e.reason()).as("reason for %s: %s", file.getFileName(), e.getMessage()).isEqualTo(reason);
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.getMessage()).contains(file.toString());
        }
    }
}
