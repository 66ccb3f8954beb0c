package org.speechwb.engine.audio;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The container a file holds, told by its first bytes rather than its name: datasets are full
 * of ".wav" files that are really FLAC, and the other way round.
 */
enum Container {
    WAV,
    FLAC;

    /** Bytes {@link #sniff} needs to decide in every case but an ID3v2-prefixed file. */
    static final int SIGNATURE_BYTES = 12;

    /**
     * The container of a file whose first bytes are {@code head} (at most {@value #SIGNATURE_BYTES}
     * needed; an ID3v2 tag in front of a FLAC stream is skipped via {@link #id3v2Length}).
     *
     * @param source the open file, for its name, its real size (a cut-off signature is
     *               TRUNCATED, a foreign one NOT_AUDIO) and the bytes after an ID3v2 tag
     * @param head   the first bytes of the file, little-endian, position 0
     */
    static Container sniff(AudioSource source, ByteBuffer head) throws AudioFileException {
        int n = head.remaining();
        if (source.size() == 0) {
            throw new AudioFileException(source.file(), AudioFileException.Reason.EMPTY, "the file is 0 bytes long");
        }
        if (startsWith(head, "fLaC")) {
            return FLAC;
        }
        if (startsWith(head, "RIFF") || startsWith(head, "RF64") || startsWith(head, "BW64")) {
            if (n < 12) {
                throw new AudioFileException(source.file(), AudioFileException.Reason.TRUNCATED,
                        "the file ends inside the RIFF header (" + n + " bytes)");
            }
            if (!matches(head, 8, "WAVE")) {
                throw new AudioFileException(source.file(), AudioFileException.Reason.NOT_AUDIO,
                        "RIFF form type '" + printable(head, 8, 4) + "', not WAVE");
            }
            return WAV;
        }
        if (startsWith(head, "RIFX")) {
            throw new AudioFileException(source.file(), AudioFileException.Reason.UNSUPPORTED_ENCODING,
                    "big-endian RIFX WAV");
        }
        if (startsWith(head, "ID3") && n >= 10) {
            long tagEnd = 10L + id3v2Length(head);
            ByteBuffer after = source.read(tagEnd, 4);
            if (startsWith(after, "fLaC")) {
                return FLAC;
            }
            throw new AudioFileException(source.file(), AudioFileException.Reason.NOT_AUDIO,
                    "an ID3v2 tag not followed by FLAC (MP3?)");
        }
        if (n < 4 && isPrefixOfKnownSignature(head)) {
            throw new AudioFileException(source.file(), AudioFileException.Reason.TRUNCATED,
                    "the file ends inside the signature (" + n + " bytes)");
        }
        throw new AudioFileException(source.file(), AudioFileException.Reason.NOT_AUDIO,
                "signature '" + printable(head, 0, 4) + "'");
    }

    /** Length of an ID3v2 tag body from its 10-byte header (a "syncsafe" 28-bit size). */
    static int id3v2Length(ByteBuffer head) {
        int size = 0;
        for (int i = 6; i < 10; i++) {
            size = (size << 7) | (head.get(i) & 0x7F);
        }
        boolean footer = (head.get(5) & 0x10) != 0;
        return size + (footer ? 10 : 0);
    }

    static boolean startsWith(ByteBuffer buffer, String ascii) {
        return matches(buffer, 0, ascii);
    }

    static boolean matches(ByteBuffer buffer, int offset, String ascii) {
        if (buffer.remaining() < offset + ascii.length()) {
            return false;
        }
        for (int i = 0; i < ascii.length(); i++) {
            if (buffer.get(buffer.position() + offset + i) != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Four-character codes as text, with anything unprintable as an escaped hex byte. */
    static String printable(ByteBuffer buffer, int offset, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = offset; i < Math.min(offset + length, buffer.remaining()); i++) {
            int b = buffer.get(buffer.position() + i) & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02X", b));
            }
        }
        return sb.toString();
    }

    private static boolean isPrefixOfKnownSignature(ByteBuffer head) {
        byte[] bytes = new byte[head.remaining()];
        head.duplicate().get(bytes);
        String prefix = new String(bytes, StandardCharsets.ISO_8859_1);
        for (String signature : new String[] {"fLaC", "RIFF", "RF64", "BW64"}) {
            if (signature.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
