package org.speechwb.app.study;

import java.nio.file.Path;
import java.util.function.Consumer;

import org.speechwb.engine.experiment.ExperimentConfig;
import org.speechwb.engine.experiment.LowResourceExperiment;
import org.speechwb.engine.train.TrainingListener;

/**
 * Makes the experiment the Study screen runs. The real one is the engine's
 * {@link LowResourceExperiment}; tests hand in a fake that emits events without training.
 */
@FunctionalInterface
public interface StudyRunner {

    /** One invocation of the experiment; {@link #run()} blocks, {@link #requestStop()} may come from any thread. */
    interface Run {
        /**
         * Runs (or continues, when {@code out} holds an earlier invocation's stages) to the end.
         *
         * @throws java.util.concurrent.CancellationException after {@link #requestStop()}
         */
        LowResourceExperiment.Results run() throws Exception;

        void requestStop();
    }

    /**
     * @param log      one line per stage and result, on the experiment's thread
     * @param listener every event of each training run inside, on the training thread
     */
    Run create(ExperimentConfig cfg, Path out, Path home, Consumer<String> log, TrainingListener listener);

    /** The engine's experiment. */
    StudyRunner ENGINE = (cfg, out, home, log, listener) -> {
        LowResourceExperiment e = new LowResourceExperiment(cfg, out, home, log, listener);
        return new Run() {
            @Override
            public LowResourceExperiment.Results run() throws Exception {
                return e.run();
            }

            @Override
            public void requestStop() {
                e.requestStop();
            }
        };
    };
}
