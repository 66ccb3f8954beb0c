/**
 * The workbench shell: main window, navigation, status bar, shared session, background work,
 * throttled event delivery, notices and preferences.
 *
 * <h2>Adding a screen</h2>
 * Implement {@link org.speechwb.app.shell.ScreenProvider} (its {@code id()} is one of
 * {@link org.speechwb.app.shell.ScreenId}; {@code create(ScreenContext)} builds a
 * {@link org.speechwb.app.shell.Screen} on the FX thread) and list the class in
 * {@code app/src/main/resources/META-INF/services/org.speechwb.app.shell.ScreenProvider}.
 * The main window picks it up through {@link java.util.ServiceLoader}; screens nobody provides
 * show a placeholder.
 *
 * <h2>What a screen gets</h2>
 * {@link org.speechwb.app.shell.ScreenContext}: the {@link org.speechwb.app.shell.WorkbenchSession}
 * (dataset, summary, split, config, active run, selected run/checkpoint, navigation), the
 * {@link org.speechwb.app.shell.BackgroundTasks} (all engine work goes through
 * {@code submit(name, work, onSuccess, onFailure)}; callbacks arrive on the FX thread), the
 * {@link org.speechwb.app.shell.Notifier} (readable errors; causes are logged), the
 * {@link org.speechwb.app.shell.AppPreferences} and the {@link org.speechwb.app.AppPaths}.
 *
 * <h2>Training</h2>
 * {@link org.speechwb.app.shell.WorkbenchSession#startTraining} runs a
 * {@link org.speechwb.engine.train.Pretrainer} on its own thread and publishes an
 * {@link org.speechwb.app.shell.ActiveRun} in {@code activeRunProperty()}. The active run has
 * FX-thread properties (state, message, started, latest metrics), the list of all metrics so far
 * and {@code subscribe(batch -> …)}, which delivers every {@link org.speechwb.engine.train.TrainingEvent}
 * in order, in batches at most 20 times a second ({@link org.speechwb.app.shell.FxThrottle}).
 * {@code requestPause/Resume/Stop} control the trainer; {@code completion()} completes when it
 * has returned.
 */
package org.speechwb.app.shell;
