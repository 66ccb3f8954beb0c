package org.speechwb.engine.audio;

import java.nio.ByteBuffer;

/**
 * How far a FLAC stream's audio really goes, judged from the frame headers in the last bytes of
 * the file. A probe must not decode, but STREAMINFO's total says nothing about a file cut short
 * (a copy that stopped, a download that failed): a scan would list it at its promised length. Each
 * frame header carries its position (frame number or first sample) and is protected by a CRC-8,
 * so the last valid header near the end tells how far the audio goes. Garbage may pass the CRC
 * now and then; taking the furthest position found only ever makes the estimate longer, so a
 * healthy file is never called truncated by a false header.
 */
final class FlacTail {

    /** More than the largest frame any encoder writes at the usual block sizes; for when STREAMINFO does not say. */
    static final int WINDOW = 1 << 16;

    private FlacTail() {
    }

    /**
     * The last frame header found in the tail.
     *
     * @param start first sample of that frame: in a file cut short, what decodes (that frame is cut too)
     * @param end   the sample after it: STREAMINFO's total in a whole file
     */
    record Last(long start, long end) {
    }

    /** The last frame whose header lies in the file's tail; null if none is found. */
    static Last lastFrame(AudioSource source, FlacLayout layout) throws AudioFileException {
        byte[] info = layout.streamInfo();
        // two of the largest frames hold the last header whether the file is whole or cut mid-frame;
        // a scan of ten thousand files reads a few kilobytes each rather than 64
        int maxFrame = ((info[7] & 0xFF) << 16) | ((info[8] & 0xFF) << 8) | (info[9] & 0xFF);
        int window = maxFrame > 0 ? Math.min(WINDOW, 2 * maxFrame + 32) : WINDOW;
        long start = Math.max(layout.audioOffset(), source.size() - window);
        int length = (int) (source.size() - start);
        ByteBuffer tail = source.read(start, length);
        byte[] b = new byte[tail.remaining()];
        tail.get(0, b);
        int minBlock = ((info[0] & 0xFF) << 8) | (info[1] & 0xFF);
        int maxBlock = ((info[2] & 0xFF) << 8) | (info[3] & 0xFF);
        Last best = null;
        for (int i = 0; i + 5 < b.length; i++) {
            if ((b[i] & 0xFF) != 0xFF || (b[i + 1] & 0xFE) != 0xF8) {
                continue;
            }
            Last f = frame(b, i, minBlock == maxBlock ? maxBlock : -1, layout.totalSamples());
            if (f != null && (best == null || f.end() > best.end())) {
                best = f;
            }
        }
        return best;
    }

    /** The frame whose header starts at {@code i}, or null when it is no valid header. */
    private static Last frame(byte[] b, int i, int fixedBlock, long total) {
        boolean variable = (b[i + 1] & 1) != 0;
        int blockCode = (b[i + 2] & 0xFF) >>> 4;
        int rateCode = b[i + 2] & 0x0F;
        int channelCode = (b[i + 3] & 0xFF) >>> 4;
        int sizeCode = (b[i + 3] >>> 1) & 0x7;
        if (blockCode == 0 || rateCode == 15 || channelCode > 10 || sizeCode == 3 || (b[i + 3] & 1) != 0) {
            return null;
        }
        int p = i + 4;
        int lead = b[p] & 0xFF;
        int extra;
        long number;
        if (lead < 0x80) {
            extra = 0;
            number = lead;
        } else if (lead >= 0xC0 && lead < 0xFE) {
            extra = Integer.numberOfLeadingZeros(~lead << 24) - 1;
            number = lead & (0x3F >>> extra);
        } else {
            return null;
        }
        if (p + 1 + extra + 3 > b.length) {
            return null;
        }
        for (int k = 1; k <= extra; k++) {
            int c = b[p + k] & 0xFF;
            if ((c & 0xC0) != 0x80) {
                return null;
            }
            number = (number << 6) | (c & 0x3F);
        }
        p += 1 + extra;
        int block;
        if (blockCode == 1) {
            block = 192;
        } else if (blockCode <= 5) {
            block = 576 << (blockCode - 2);
        } else if (blockCode == 6) {
            block = (b[p++] & 0xFF) + 1;
        } else if (blockCode == 7) {
            block = (((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF)) + 1;
            p += 2;
        } else {
            block = 256 << (blockCode - 8);
        }
        if (rateCode == 12) {
            p += 1;
        } else if (rateCode == 13 || rateCode == 14) {
            p += 2;
        }
        if (p >= b.length || crc8(b, i, p) != (b[p] & 0xFF)) {
            return null;
        }
        long first;
        if (variable) {
            first = number;
        } else if (fixedBlock > 0) {
            first = number * fixedBlock;
        } else {
            return null;
        }
        if (total > 0 && first >= total) {
            return null;
        }
        return new Last(first, first + block);
    }

    private static int crc8(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= b[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xFF : (crc << 1) & 0xFF;
            }
        }
        return crc;
    }
}
