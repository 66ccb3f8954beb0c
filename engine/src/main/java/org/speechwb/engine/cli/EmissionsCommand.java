package org.speechwb.engine.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.speechwb.engine.audio.AudioReader;
import org.speechwb.engine.interop.Npy;
import org.speechwb.engine.recognize.Recognizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "emissions", mixinStandardHelpOptions = true,
        description = "Write a fine-tuned (or imported CTC) model's CTC logits for one file as .npy: float32"
                + " [frames, vocabulary], in the model's vocabulary order (transformers' Wav2Vec2ForCTC logits).")
final class EmissionsCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "fine-tuning run folder or checkpoint")
    Path model;

    @Option(names = "--audio", required = true, description = "WAV or FLAC file (resampled to 16 kHz)")
    Path audio;

    @Option(names = "--out", required = true, description = ".npy file to write")
    Path out;

    @Override
    public Integer call() throws Exception {
        Recognizer r = Recognizer.open(Cli.resolve(model));
        float[][] logits = r.logits(AudioReader.read16k(Cli.resolve(audio)).samples());
        int v = r.vocabulary().size();
        float[] flat = new float[logits.length * v];
        for (int t = 0; t < logits.length; t++) {
            System.arraycopy(logits[t], 0, flat, t * v, v);
        }
        Npy.write(out, flat, logits.length, v);
        System.out.println(audio + ": " + logits.length + " frames x " + v + " -> " + out);
        return 0;
    }
}
