package org.speechwb.engine.probe;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Layer probes as Markdown tables (the CER, then the CTC loss where measured): one row per
 * representation, one column per model.
 */
public final class ProbeTable {

    private ProbeTable() {
    }

    /**
     * A caption naming what the cells are, then the table: a row for every representation any
     * result probed, in order of first appearance, with "–" where a model lacks it (a fine-tuning
     * checkpoint has no quantizer codes; probe files written before the codes were probed lack them).
     * When the probes measured it, a second table gives the validation CTC loss, which still ranks
     * representations where their CERs are all near 80 %.
     */
    public static String markdown(List<LayerProbe.Result> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no probe results to tabulate");
        }
        int probeSeeds = results.stream().flatMap(r -> r.layers().stream()).findFirst()
                .map(l -> l.probeCers().size()).orElse(1);
        String over = probeSeeds > 1 ? ", mean [range] over " + probeSeeds + " probe seeds" : "";
        String cer = table("Linear CTC on frozen representations, validation CER %" + over + ".", results,
                LayerProbe.LayerScore::cerText);
        boolean bits = results.stream().flatMap(r -> r.layers().stream()).anyMatch(l -> !l.probeBits().isEmpty());
        return !bits ? cer : cer + "\n" + table("The same probes' validation CTC loss, bits per character (lower is"
                + " better)" + over + ".", results, LayerProbe.LayerScore::bitsText);
    }

    private static String table(String caption, List<LayerProbe.Result> results,
                                Function<LayerProbe.LayerScore, String> cell) {
        Set<String> rows = new LinkedHashSet<>();
        results.forEach(r -> r.layers().forEach(l -> rows.add(l.layer())));
        StringBuilder b = new StringBuilder(caption).append("\n\n| representation |");
        results.forEach(r -> b.append(' ').append(r.model()).append(" |"));
        b.append("\n|---|").append("---|".repeat(results.size())).append('\n');
        for (String row : rows) {
            b.append("| ").append(row).append(" |");
            for (LayerProbe.Result r : results) {
                String text = r.layers().stream().filter(l -> l.layer().equals(row)).findFirst().map(cell).orElse("–");
                b.append(' ').append(text).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
