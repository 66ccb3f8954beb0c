package org.speechwb.engine.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlacRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void sixteenBitMonoRoundTripsLosslessly() throws IOException {
        float[] x = Signals.noisyTone(300, 16000, 20000, 1);
        Path file = dir.resolve("mono.flac");
        FlacWriter.write(file, x, 16000);

        AudioInfo info = AudioReader.probe(file);
        AudioClip clip = AudioReader.read(file);

        assertThat(info.container()).isEqualTo("flac");
        assertThat(info.encoding()).isEqualTo("flac");
        assertThat(info.channels()).isEqualTo(1);
        assertThat(info.bitsPerSample()).isEqualTo(16);
        assertThat(info.sampleRate()).isEqualTo(16000);
        assertThat(info.frames()).isEqualTo(20000);
        assertThat(clip.samples()).hasSize(20000);
        // FLAC is lossless, so the only error is the 16-bit quantisation the writer applies.
        assertThat(Signals.maxDiff(clip.samples(), x)).isLessThanOrEqualTo(1.0 / 32768);
        Path wav = dir.resolve("mono.wav");
        WavWriter.write(wav, x, 16000, WavWriter.Encoding.PCM_S16);
        assertThat(clip.samples()).containsExactly(AudioReader.read(wav).samples());
    }

    /**
     * Lengths that leave a final block of 1..31 samples crashed java-flac-encoder (found while
     * building a 2-hour corpus); such a tail is padded with silence.
     */
    @Test
    void tinyFinalBlocksArePaddedWithSilence() throws IOException {
        for (int tail : new int[] {1, 3, 4, 31, 32, 33}) {
            float[] x = Signals.noisyTone(300, 16000, 4096 + tail, tail);
            Path file = dir.resolve("tail" + tail + ".flac");
            FlacWriter.write(file, x, 16000);
            float[] back = AudioReader.read(file).samples();
            int expected = tail < FlacWriter.MIN_FINAL_BLOCK ? 4096 + FlacWriter.MIN_FINAL_BLOCK : 4096 + tail;
            assertThat(back).as("tail %d", tail).hasSize(expected);
            for (int i = 0; i < x.length; i++) {
                assertThat(Math.abs(back[i] - x[i])).isLessThanOrEqualTo(1f / 32768);
            }
            for (int i = x.length; i < back.length; i++) {
                assertThat(back[i]).isZero();
            }
        }
    }

    @Test
    void twentyFourBitStereoIsMixedToMono() throws IOException {
        float[][] stereo = {Signals.noisyTone(220, 44100, 9000, 2), Signals.noisyTone(330, 44100, 9000, 3)};
        Path file = dir.resolve("stereo24.flac");
        FlacWriter.write(file, stereo, 44100, 24);

        AudioInfo info = AudioReader.probe(file);
        assertThat(info.channels()).isEqualTo(2);
        assertThat(info.bitsPerSample()).isEqualTo(24);
        assertThat(info.frames()).isEqualTo(9000);
        float[] mono = AudioReader.read(file).samples();
        assertThat(mono).hasSize(9000);
        assertThat(Signals.maxDiff(mono, Signals.mean(stereo))).isLessThanOrEqualTo(1.0 / 8388608 + 1e-7);
    }

    @Test
    void eightBitAndSixChannelStreamsDecode() throws IOException {
        float[][] six = new float[6][];
        for (int c = 0; c < 6; c++) {
            six[c] = Signals.noisyTone(100 * (c + 1), 8000, 5000, c);
        }
        Path file = dir.resolve("six8.flac");
        FlacWriter.write(file, six, 8000, 8);
        assertThat(AudioReader.probe(file).channels()).isEqualTo(6);
        float[] mono = AudioReader.read(file).samples();
        assertThat(Signals.maxDiff(mono, Signals.mean(six))).isLessThanOrEqualTo(1.0 / 128);
    }

    @Test
    void referenceEncoderStreamDecodesBitExactToItsWavTwin() throws IOException {
        Path flac = copyResource("libflac-stereo24.flac");
        Path wav = copyResource("libflac-stereo24.wav");
        AudioInfo info = AudioReader.probe(flac);
        assertThat(info.channels()).isEqualTo(2);
        assertThat(info.bitsPerSample()).isEqualTo(24);
        assertThat(info.sampleRate()).isEqualTo(8000);
        assertThat(info.frames()).isEqualTo(2400).isEqualTo(AudioReader.probe(wav).frames());
        float[] fromFlac = AudioReader.read(flac).samples();
        assertThat(fromFlac).containsExactly(AudioReader.read(wav).samples());
        assertThat(Signals.rms(fromFlac, 0, fromFlac.length)).isGreaterThan(1e-3); // real signal, not silence
    }

    @Test
    void unknownTotalInStreamInfoIsCountedByDecoding() throws IOException {
        float[] x = Signals.noisyTone(500, 16000, 10000, 4);
        Path file = dir.resolve("unknown-length.flac");
        FlacWriter.write(file, x, 16000);
        byte[] bytes = Files.readAllBytes(file);
        // STREAMINFO body starts at 8; total samples are the low 36 bits of bytes 13..17 of the body.
        bytes[8 + 13] &= (byte) 0xF0;
        Arrays.fill(bytes, 8 + 14, 8 + 18, (byte) 0);
        Files.write(file, bytes);

        assertThat(AudioReader.probe(file).frames()).isEqualTo(10000);
        assertThat(AudioReader.read(file).samples()).hasSize(10000);
    }

    @Test
    void id3v2TagInFrontOfFlacIsSkipped() throws IOException {
        Path plain = dir.resolve("plain.flac");
        FlacWriter.write(plain, Signals.tone(440, 16000, 3000, 0.5), 16000);
        byte[] flac = Files.readAllBytes(plain);
        byte[] tag = new byte[10 + 20];
        tag[0] = 'I';
        tag[1] = 'D';
        tag[2] = '3';
        tag[3] = 3;
        tag[9] = 20; // syncsafe size
        byte[] tagged = new byte[tag.length + flac.length];
        System.arraycopy(tag, 0, tagged, 0, tag.length);
        System.arraycopy(flac, 0, tagged, tag.length, flac.length);
        Path file = dir.resolve("tagged.flac");
        Files.write(file, tagged);
        assertThat(AudioReader.probe(file).frames()).isEqualTo(3000);
        assertThat(AudioReader.read(file).samples()).containsExactly(AudioReader.read(plain).samples());
    }

    @Test
    void truncatedFlacYieldsTheFramesThatAreThere() throws IOException {
        Path whole = dir.resolve("whole.flac");
        FlacWriter.write(whole, Signals.noisyTone(250, 16000, 40000, 5), 16000);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = dir.resolve("cut.flac");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));

        float[] partial = AudioReader.read(cut).samples();
        assertThat(partial.length).isPositive().isLessThan(40000).isEqualTo(partial.length / 4096 * 4096);
        // the probe reads no frames, only the last frame header in the tail: the frame it starts is
        // taken as cut, so the count is what decodes (one block less if the cut fell on a frame boundary)
        AudioInfo probed = AudioReader.probe(cut);
        assertThat(probed.frames()).isBetween(partial.length - 4096L, (long) partial.length);
        assertThat(probed.caveat()).contains("STREAMINFO promises 40000 samples").contains("truncated");
        assertThat(AudioReader.probe(whole).frames()).isEqualTo(40000);
        assertThat(AudioReader.probe(whole).caveat()).isNull();
        // cut inside the first frame: nothing decodes, and the probe says so instead of listing it
        Path first = dir.resolve("first.flac");
        Files.write(first, Arrays.copyOf(bytes, 200));
        assertThatThrownBy(() -> AudioReader.probe(first)).isInstanceOf(AudioFileException.class)
                .hasMessageContaining("first.flac").hasMessageContaining("ends inside the first frame");
        assertThatThrownBy(() -> AudioReader.read(first)).isInstanceOf(AudioFileException.class);
        float[] full = AudioReader.read(whole).samples();
        assertThat(partial).containsExactly(Arrays.copyOf(full, partial.length));
    }

    @Test
    void read16kResamplesFlacToo() throws IOException {
        Path file = dir.resolve("r44.flac");
        FlacWriter.write(file, Signals.tone(1000, 44100, 44100, 0.5), 44100);
        AudioClip clip = AudioReader.read16k(file);
        assertThat(clip.sampleRate()).isEqualTo(16000);
        assertThat(clip.samples()).hasSize(16000);
        assertThat(AudioReader.probe(file).framesAt(16000)).isEqualTo(16000);
    }

    private Path copyResource(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            Files.copy(in, target);
        }
        return target;
    }
}
