package org.speechwb.engine.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.speechwb.engine.data.Dataset;
import org.speechwb.engine.data.Utterance;
import org.speechwb.engine.run.RunFolder;

/**
 * The exact utterances of a fine-tuning run (a labeled subset is a seeded draw, and datasets
 * grow): written into the run folder so a resumed run trains and validates on the same ones.
 */
final class TrainingSets {

    private TrainingSets() {
    }

    static void write(RunFolder run, List<Utterance> train, List<Utterance> valid) throws IOException {
        Files.write(run.dir().resolve("train-utterances.txt"), train.stream().map(Utterance::id).toList());
        Files.write(run.dir().resolve("valid-utterances.txt"), valid.stream().map(Utterance::id).toList());
    }

    static List<Utterance> read(RunFolder run, Dataset dataset, String which) throws IOException {
        Path f = run.dir().resolve(which + "-utterances.txt");
        Map<String, Utterance> byId = new HashMap<>();
        for (Utterance u : dataset.utterances()) {
            byId.put(u.id(), u);
        }
        List<Utterance> out = new ArrayList<>();
        for (String id : Files.readAllLines(f)) {
            Utterance u = byId.get(id.trim());
            if (u == null) {
                throw new IOException(f + ": utterance " + id + " is no longer in " + dataset.root());
            }
            out.add(u);
        }
        return out;
    }
}
