package org.speechwb.app.shell;

import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * Widens a table's text columns to their longest cell or header, so values are never cut to
 * "wav2vec …" or "2026-12-03 16:07:…" at 1280 px; the table scrolls sideways instead. Only
 * widens, and never past {@code maxWidth}: a user's own column resizing is kept. Also gives a
 * column a title that explains it on hover.
 */
public final class TableFit {

    private static final double PADDING = 22;

    private TableFit() {
    }

    /**
     * Shows a column's title as a label that explains the column on hover; {@link #widenToContent}
     * sizes it like a plain title.
     */
    public static <S, T> TableColumn<S, T> explained(TableColumn<S, T> column, String tip) {
        javafx.scene.control.Label title = new javafx.scene.control.Label(column.getText());
        title.setTooltip(new javafx.scene.control.Tooltip(tip));
        column.setText("");
        column.setGraphic(title);
        return column;
    }

    public static <S> void widenToContent(TableView<S> table, double maxWidth) {
        Font font = Font.getDefault();
        for (TableColumn<S, ?> c : table.getColumns()) {
            if (!c.isResizable()) {
                continue;
            }
            // a title given as a label (to carry a tooltip) counts like a plain one
            String title = c.getGraphic() instanceof javafx.scene.control.Labeled l && (c.getText() == null
                    || c.getText().isEmpty()) ? l.getText() : c.getText();
            double w = width(title, font) + PADDING + 8;
            for (int i = 0; i < table.getItems().size(); i++) {
                Object v = c.getCellData(i);
                if (v instanceof String s) {
                    w = Math.max(w, width(s, font) + PADDING);
                }
            }
            w = Math.min(maxWidth, Math.ceil(w));
            if (w > c.getWidth()) {
                c.setPrefWidth(w);
            }
        }
    }

    private static double width(String s, Font font) {
        Text t = new Text(s);
        t.setFont(font);
        return t.getLayoutBounds().getWidth();
    }
}
