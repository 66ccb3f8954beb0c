package org.speechwb.engine.interop.tensorboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the scalars of a TensorBoard event file (ours, fairseq's {@code tensorboard_logdir},
 * transformers' {@code logging_dir}). Records are checked against their CRCs. A file that ends
 * in the middle of a record (it is still being written) gives everything before it, with a
 * note; a corrupt record stops the read there, keeping what was read and saying where.
 * SessionLog START events drop the earlier points of later steps, as TensorBoard does.
 */
public final class EventFileReader {

    private EventFileReader() {
    }

    /** One scalar point. */
    public record Scalar(String tag, long step, double wallTime, double value) {
    }

    /**
     * @param scalars   the points in file order (after SessionLog purges)
     * @param bytesRead offset after the last complete, valid record (where a follower resumes)
     * @param problem   null when the whole file was read; otherwise why and where reading stopped
     */
    public record Result(List<Scalar> scalars, long bytesRead, String problem) {
    }

    public static Result read(Path file) throws IOException {
        return read(file, Files.readAllBytes(file));
    }

    static Result read(Path file, byte[] b) {
        List<Scalar> out = new ArrayList<>();
        int pos = 0;
        String problem = null;
        while (pos < b.length) {
            if (b.length - pos < 12) {
                problem = file + ": incomplete record header at byte " + pos + " (the file may still be written)";
                break;
            }
            long len = Records.getLong(b, pos);
            if (Records.getInt(b, pos + 8) != Records.maskedCrc(b, pos, 8)) {
                problem = file + ": corrupt record length at byte " + pos + " (CRC mismatch); read up to there";
                break;
            }
            if (len < 0 || len > b.length - pos - 16L) {
                problem = file + ": record at byte " + pos + " claims " + len + " bytes but the file has "
                        + (b.length - pos - 16) + " left (the file may still be written)";
                break;
            }
            int n = (int) len;
            if (Records.getInt(b, pos + 12 + n) != Records.maskedCrc(b, pos + 12, n)) {
                problem = file + ": corrupt record data at byte " + pos + " (CRC mismatch); read up to there";
                break;
            }
            byte[] data = java.util.Arrays.copyOfRange(b, pos + 12, pos + 12 + n);
            EventProto.Event e;
            try {
                e = EventProto.decode(data);
            } catch (IllegalArgumentException ex) {
                problem = file + ": undecodable event at byte " + pos + ": " + ex.getMessage();
                break;
            }
            pos += 16 + n;
            if (e.sessionStatus() != null && e.sessionStatus() == EventProto.SESSION_START) {
                long step = e.step();
                out.removeIf(s -> s.step() > step);
            } else if (e.value() != null) {
                out.add(new Scalar(e.tag(), e.step(), e.wallTime(), e.value()));
            }
        }
        return new Result(out, pos, problem);
    }
}
