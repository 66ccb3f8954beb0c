package org.speechwb.engine.probe;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Layer probes as a Markdown table: one row per representation, one CER column per model. */
public final class ProbeTable {

    private ProbeTable() {
    }

    /**
     * A caption naming what the cells are, then the table: a row for every representation any
     * result probed, in order of first appearance, with "–" where a model lacks it (a fine-tuning
     * checkpoint has no quantizer codes; probe files written before the codes were probed lack them).
     */
    public static String markdown(List<LayerProbe.Result> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no probe results to tabulate");
        }
        Set<String> rows = new LinkedHashSet<>();
        results.forEach(r -> r.layers().forEach(l -> rows.add(l.layer())));
        int probeSeeds = results.stream().flatMap(r -> r.layers().stream()).findFirst()
                .map(l -> l.probeCers().size()).orElse(1);
        StringBuilder b = new StringBuilder("Linear CTC on frozen representations, validation CER %")
                .append(probeSeeds > 1 ? ", mean [range] over " + probeSeeds + " probe seeds" : "")
                .append(".\n\n| representation |");
        results.forEach(r -> b.append(' ').append(r.model()).append(" |"));
        b.append("\n|---|").append("---|".repeat(results.size())).append('\n');
        for (String row : rows) {
            b.append("| ").append(row).append(" |");
            for (LayerProbe.Result r : results) {
                String cell = r.layers().stream().filter(l -> l.layer().equals(row)).findFirst()
                        .map(LayerProbe.LayerScore::cerText).orElse("–");
                b.append(' ').append(cell).append(" |");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
