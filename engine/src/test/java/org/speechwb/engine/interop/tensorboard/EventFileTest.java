package org.speechwb.engine.interop.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TensorBoard event files: bytes checked by hand, round trips, resumed runs, files being written or damaged. */
class EventFileTest {

    @TempDir
    Path tmp;

    /** Bit-by-bit CRC32C (Castagnoli, reflected polynomial 0x82F63B78), independent of java.util.zip. */
    private static int crc32c(byte[] b, int off, int len) {
        int crc = 0xFFFFFFFF;
        for (int i = off; i < off + len; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc;
    }

    private static int masked(int c) {
        return ((c >>> 15) | (c << 17)) + 0xa282ead8;
    }

    private static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static int leInt(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    @Test
    void theCrcIsCrc32cMaskedAsTensorFlowDoes() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(crc32c(check, 0, 9)).isEqualTo(0xE3069283); // the CRC-32C check value
        assertThat(Records.maskedCrc(check, 0, 9)).isEqualTo(masked(0xE3069283));
    }

    @Test
    void aScalarRecordHasTheExpectedBytes() throws Exception {
        byte[] data = EventProto.scalar(1.5, 300, "loss", 0.25f);
        byte[] expected = {
            0x09, 0, 0, 0, 0, 0, 0, (byte) 0xF8, 0x3F,        // wall_time = 1.5 (fixed64 double)
            0x10, (byte) 0xAC, 0x02,                          // step = 300 (varint)
            0x2A, 0x0D,                                       // summary, 13 bytes
            0x0A, 0x0B,                                       //   value, 11 bytes
            0x0A, 0x04, 'l', 'o', 's', 's',                   //     tag = "loss"
            0x15, 0, 0, (byte) 0x80, 0x3E                     //     simple_value = 0.25f (fixed32)
        };
        assertThat(data).containsExactly(expected);
        byte[] rec = Records.frame(data);
        assertThat(rec).hasSize(8 + 4 + data.length + 4);
        assertThat(le64(rec, 0)).isEqualTo(data.length);
        assertThat(leInt(rec, 8)).isEqualTo(masked(crc32c(rec, 0, 8)));
        assertThat(Arrays.copyOfRange(rec, 12, 12 + data.length)).containsExactly(data);
        assertThat(leInt(rec, 12 + data.length)).isEqualTo(masked(crc32c(data, 0, data.length)));
    }

    @Test
    void aFileStartsWithTheFileVersionAndReadsBackWhatWasWritten() throws Exception {
        Path f;
        try (EventFileWriter w = new EventFileWriter(tmp, -1)) {
            w.scalar("train/loss", 1, 10.0, 4.5);
            w.scalar("train/loss", 2, 11.0, Double.NaN);
            w.scalar("valid/wer", 2, 11.0, 0.75);
            f = w.file();
        }
        assertThat(f.getFileName().toString()).startsWith("events.out.tfevents.");
        byte[] b = Files.readAllBytes(f);
        int n = (int) le64(b, 0);
        EventProto.Event first = EventProto.decode(Arrays.copyOfRange(b, 12, 12 + n));
        assertThat(first.fileVersion()).isEqualTo("brain.Event:2");
        EventFileReader.Result r = EventFileReader.read(f);
        assertThat(r.problem()).isNull();
        assertThat(r.bytesRead()).isEqualTo(b.length);
        assertThat(r.scalars()).hasSize(3);
        assertThat(r.scalars().get(0)).isEqualTo(new EventFileReader.Scalar("train/loss", 1, 10.0, 4.5));
        assertThat(r.scalars().get(1).value()).isNaN();
        assertThat(r.scalars().get(2).tag()).isEqualTo("valid/wer");
    }

    @Test
    void aResumedSessionMakesReadersDropTheInterruptedSessionsLaterPoints() throws Exception {
        Path f1;
        try (EventFileWriter w = new EventFileWriter(tmp, -1)) {
            for (int s = 1; s <= 5; s++) {
                w.scalar("train/loss", s, s, 10 - s);
            }
            f1 = w.file();
        }
        // the run resumed from its checkpoint at update 3; both sessions' events in one stream
        Path f2;
        try (EventFileWriter w = new EventFileWriter(tmp, 3)) {
            w.scalar("train/loss", 4, 20, 1.0);
            f2 = w.file();
        }
        assertThat(f2).isNotEqualTo(f1);
        byte[] both = concat(Files.readAllBytes(f1), Files.readAllBytes(f2));
        List<EventFileReader.Scalar> s = EventFileReader.read(f2, both).scalars();
        assertThat(s).extracting(EventFileReader.Scalar::step).containsExactly(1L, 2L, 3L, 4L);
        assertThat(s.get(3).value()).isEqualTo(1.0);
    }

    @Test
    void aFileCutMidRecordKeepsWhatWasReadAndACorruptByteIsReportedWithItsOffset() throws Exception {
        Path f;
        try (EventFileWriter w = new EventFileWriter(tmp, -1)) {
            w.scalar("a", 1, 1, 1);
            w.scalar("a", 2, 2, 2);
            f = w.file();
        }
        byte[] b = Files.readAllBytes(f);
        EventFileReader.Result cut = EventFileReader.read(f, Arrays.copyOf(b, b.length - 5));
        assertThat(cut.scalars()).hasSize(1);
        assertThat(cut.problem()).contains("may still be written");
        byte[] bad = b.clone();
        bad[b.length - 8] ^= 0x01; // inside the last record's data
        EventFileReader.Result corrupt = EventFileReader.read(f, bad);
        assertThat(corrupt.scalars()).hasSize(1);
        assertThat(corrupt.problem()).contains("CRC mismatch").contains(f.toString()).contains("byte ");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
