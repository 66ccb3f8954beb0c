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
 * the charts from the whole list. {@link #mirror} passes the same changes on from one list to
 * another (a view model showing a list it does not own).
 */
public final class AppendOrRebuild {

    private AppendOrRebuild() {
    }

    /** Feeds the changes of {@code list} to {@code append} or {@code rebuild}. */
    public static <T> void watch(ObservableList<T> list, Consumer<List<T>> append, Runnable rebuild) {
        list.addListener(listener(append, rebuild));
    }

    /**
     * Keeps {@code to} a copy of {@code from} the same way (appends appended, anything else
     * copies the whole list), then runs {@code after}.
     *
     * @return what stops the copying
     */
    public static <T> Runnable mirror(ObservableList<T> from, ObservableList<T> to, Runnable after) {
        to.setAll(from);
        ListChangeListener<T> l = listener(added -> {
            to.addAll(added);
            after.run();
        }, () -> {
            to.setAll(from);
            after.run();
        });
        from.addListener(l);
        return () -> from.removeListener(l);
    }

    private static <T> ListChangeListener<T> listener(Consumer<List<T>> append, Runnable rebuild) {
        return c -> {
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
        };
    }
}
