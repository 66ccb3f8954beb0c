package org.speechwb.app.inspect;

import java.util.Locale;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import org.speechwb.engine.eval.AlignedPair;
import org.speechwb.engine.eval.EditAlignment;

/**
 * The reference and the greedy and beam transcripts of a {@link CtcInspection}, one row each,
 * every hypothesis word marked by its word-level edit alignment against the reference:
 * substitutions orange (the reference word in the tooltip), insertions green, deletions red and
 * struck through (the missing reference word). Words carry the style classes
 * {@code diff-match}, {@code diff-substitution}, {@code diff-insertion}, {@code diff-deletion}.
 */
public final class TranscriptDiffView extends VBox {

    private final FlowPane reference = row("ctc-reference");
    private final FlowPane greedy = row("ctc-greedy");
    private final FlowPane beam = row("ctc-beam");
    private final Label greedyLabel = new Label("greedy");
    private final Label beamLabel = new Label("beam");

    public TranscriptDiffView() {
        setId("ctc-transcripts");
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(3);
        Label refLabel = new Label("reference");
        for (Label l : new Label[] {refLabel, greedyLabel, beamLabel}) {
            l.setStyle("-fx-text-fill: #455a64; -fx-font-size: 11px;");
            l.setMinWidth(120);
        }
        grid.addRow(0, refLabel, reference);
        grid.addRow(1, greedyLabel, greedy);
        grid.addRow(2, beamLabel, beam);
        for (FlowPane f : new FlowPane[] {reference, greedy, beam}) {
            GridPane.setHgrow(f, Priority.ALWAYS);
        }
        FlowPane legend = new FlowPane(6, 2, word("substitution", "diff-substitution"),
                word("insertion", "diff-insertion"), word("deletion", "diff-deletion"),
                new Label("(word alignment against the reference; hover a word for details)"));
        legend.setAlignment(Pos.CENTER_LEFT);
        legend.setStyle("-fx-font-size: 10px; -fx-text-fill: #607d8b;");
        getChildren().addAll(grid, legend);
        setSpacing(4);
        setPadding(new Insets(6, 8, 6, 8));
        setStyle("-fx-background-color: #fafbfc; -fx-border-color: #e0e4e8; -fx-border-width: 0 0 1 0;");
        setVisible(false);
        setManaged(false);
    }

    /** Shows {@code c}, or hides the panel when null (a pre-training checkpoint). */
    public void show(CtcInspection c) {
        setVisible(c != null);
        setManaged(c != null);
        reference.getChildren().clear();
        greedy.getChildren().clear();
        beam.getChildren().clear();
        if (c == null) {
            return;
        }
        if (c.reference().isBlank()) {
            reference.getChildren().add(new Label("(no transcript)"));
        } else {
            for (String w : c.reference().split(" ")) {
                reference.getChildren().add(word(w, "diff-reference"));
            }
        }
        greedyLabel.setText(title("greedy", c.greedyDiff(), !c.reference().isBlank()));
        fill(greedy, c.greedyDiff(), c.greedy().text());
        boolean hasBeam = c.beamDiff() != null;
        beamLabel.setText(hasBeam ? title("beam " + CtcInspection.BEAM.beamWidth(), c.beamDiff(),
                !c.reference().isBlank()) : "beam");
        if (hasBeam) {
            fill(beam, c.beamDiff(), c.beam().text());
        }
    }

    public FlowPane referenceRow() {
        return reference;
    }

    public FlowPane greedyRow() {
        return greedy;
    }

    public FlowPane beamRow() {
        return beam;
    }

    private static String title(String name, EditAlignment d, boolean scored) {
        return scored ? String.format(Locale.ROOT, "%s · WER %.0f %%", name, 100 * d.counts().rate()) : name;
    }

    private static void fill(FlowPane row, EditAlignment diff, String text) {
        if (text.isBlank() && diff.pairs().stream().allMatch(p -> p.hyp() == null || p.hyp().isEmpty())) {
            Label empty = new Label("(nothing recognised)");
            empty.setStyle("-fx-text-fill: #9e9e9e; -fx-font-style: italic;");
            row.getChildren().add(empty);
        }
        for (AlignedPair p : diff.pairs()) {
            Label l = switch (p.op()) {
                case MATCH -> word(p.hyp(), "diff-match");
                case SUBSTITUTION -> tip(word(p.hyp(), "diff-substitution"), "reference: " + p.ref());
                case INSERTION -> tip(word(p.hyp(), "diff-insertion"), "not in the reference");
                case DELETION -> tip(word(p.ref(), "diff-deletion"), "missing: the reference has " + p.ref());
            };
            row.getChildren().add(l);
        }
    }

    private static Label tip(Label l, String text) {
        l.setTooltip(new Tooltip(text));
        return l;
    }

    private static Label word(String text, String styleClass) {
        Label l = new Label(text);
        l.getStyleClass().add(styleClass);
        String base = "-fx-padding: 0 3; -fx-background-radius: 3; -fx-font-family: 'Monospaced'; -fx-font-size: 12px;";
        l.setStyle(base + switch (styleClass) {
            case "diff-substitution" -> "-fx-background-color: #ffe0b2; -fx-text-fill: #bf360c;";
            case "diff-insertion" -> "-fx-background-color: #c8e6c9; -fx-text-fill: #1b5e20;";
            case "diff-deletion" -> "-fx-background-color: #ffcdd2; -fx-text-fill: #b71c1c; -fx-strikethrough: true;";
            default -> "-fx-text-fill: #263238;";
        });
        return l;
    }

    private static FlowPane row(String id) {
        FlowPane f = new FlowPane(4, 2);
        f.setId(id);
        f.setAlignment(Pos.CENTER_LEFT);
        return f;
    }
}
