package org.speechwb.engine.interop.tensorboard;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.speechwb.engine.run.MetricsLog;

/**
 * Mirrors a run's metrics lines into a TensorBoard event file as {@code prefix/field} scalars
 * at step = update. The file is opened on the first record, so a run that logs nothing leaves
 * no empty event file. An I/O error disables the mirror with one log line rather than failing
 * the training run that is writing its own metrics file anyway.
 */
public final class TensorBoardMirror implements MetricsLog.Mirror {

    private static final Logger LOG = LoggerFactory.getLogger(TensorBoardMirror.class);

    private final Path dir;
    private final String prefix;
    private final long resumeStep;
    private EventFileWriter writer;
    private boolean failed;

    /**
     * @param dir        the run's TensorBoard folder
     * @param prefix     tag prefix, e.g. "train" or "valid"
     * @param resumeStep the update the session resumes after (0 for a fresh run)
     */
    public TensorBoardMirror(Path dir, String prefix, long resumeStep) {
        this.dir = dir;
        this.prefix = prefix;
        this.resumeStep = resumeStep;
    }

    @Override
    public synchronized void record(long step, Map<String, Double> values) {
        if (failed) {
            return;
        }
        try {
            if (writer == null) {
                writer = new EventFileWriter(dir, resumeStep > 0 ? resumeStep : -1);
            }
            double now = System.currentTimeMillis() / 1000.0;
            for (Map.Entry<String, Double> e : values.entrySet()) {
                writer.scalar(prefix + "/" + e.getKey(), step, now, e.getValue());
            }
            writer.flush();
        } catch (IOException e) {
            failed = true;
            LOG.warn("TensorBoard event file in {} disabled: {}", dir, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException e) {
                LOG.warn("closing the TensorBoard event file in {}: {}", dir, e.toString());
            }
        }
    }
}
