package org.speechwb.app.charts;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

/**
 * Turns the changes of a view model's metric list into chart work. The view models only append
 * to these lists while a run streams, or replace everything when another run is shown: appended
 * items go to the charts in one batch (one redraw, not one per point); anything else rebuilds
 * the charts from the whole list.
 */
public final class AppendOrRebuild {

    private AppendOrRebuild() {
    }

    /** Feeds the changes of {@code list} to {@code append} or {@code rebuild}. */
    public static <T> void watch(ObservableList<T> list, Consumer<List<T>> append, Runnable rebuild) {
        list.addListener((ListChangeListener<T>) c -> {
            List<T> added = new ArrayList<>();
            boolean reset = false;
            while (c.next()) {
                if (c.wasRemoved() || c.wasPermutated()) {
                    reset = true;
                }
                if (c.wasAdded()) {
                    added.addAll(c.getAddedSubList());
                }
            }
            if (reset) {
                rebuild.run();
            } else {
                append.accept(added);
            }
        });
    }
}
