package org.speechwb.app.study;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.stage.DirectoryChooser;

import org.speechwb.app.shell.Screen;
import org.speechwb.app.shell.ScreenContext;
import org.speechwb.app.shell.ScreenId;

/**
 * The Study screen: the papers' low-resource comparison (docs/experiment.md) as a wizard of
 * three parts, settings, progress and results, each a page over its own view model.
 */
public final class StudyScreen implements Screen {

    private final ScreenContext ctx;
    private final StudyViewModel vm;
    private final BorderPane root = new BorderPane();
    private final StudySettingsPage settingsPage;
    private final StudyProgressPage progressPage;
    private final StudyResultsPage resultsPage;

    public StudyScreen(ScreenContext ctx) {
        this(ctx, StudyRunner.ENGINE);
    }

    /** With another way to run the experiment (tests: a fake that emits events). */
    public StudyScreen(ScreenContext ctx, StudyRunner runner) {
        this.ctx = ctx;
        this.vm = new StudyViewModel(ctx, runner);
        root.setId("study-screen");
        root.setPadding(new Insets(12));
        settingsPage = new StudySettingsPage(vm, this::chooseFolder, this::openResults);
        progressPage = new StudyProgressPage(vm);
        resultsPage = new StudyResultsPage(vm, this::openResults);
        root.setTop(header());
        StackPane pages = new StackPane(settingsPage.view(), progressPage.view(), resultsPage.view());
        BorderPane.setMargin(pages, new Insets(10, 0, 0, 0));
        root.setCenter(pages);
        vm.pageProperty().addListener((o, a, b) -> showPage(b));
        showPage(vm.pageProperty().get());
    }

    public StudyViewModel viewModel() {
        return vm;
    }

    public StudyResultsPage resultsPage() {
        return resultsPage;
    }

    @Override
    public Node view() {
        return root;
    }

    @Override
    public void dispose() {
        vm.progress().dispose();
    }

    private void showPage(StudyViewModel.Page p) {
        settingsPage.view().setVisible(p == StudyViewModel.Page.SETTINGS);
        progressPage.view().setVisible(p == StudyViewModel.Page.PROGRESS);
        resultsPage.view().setVisible(p == StudyViewModel.Page.RESULTS);
    }

    private Node header() {
        Label title = new Label(ScreenId.STUDY.title());
        title.getStyleClass().add("screen-title");
        Label desc = new Label(ScreenId.STUDY.description());
        desc.getStyleClass().add("muted");
        ToggleGroup steps = new ToggleGroup();
        HBox stepBox = new HBox(4);
        String[] names = {"1  Settings", "2  Progress", "3  Results"};
        for (StudyViewModel.Page p : StudyViewModel.Page.values()) {
            ToggleButton b = new ToggleButton(names[p.ordinal()]);
            b.setId("study-step-" + p.name().toLowerCase(java.util.Locale.ROOT));
            b.setToggleGroup(steps);
            b.setUserData(p);
            b.setMinWidth(Region.USE_PREF_SIZE);
            b.setSelected(vm.pageProperty().get() == p);
            if (p == StudyViewModel.Page.PROGRESS) {
                b.disableProperty().bind(vm.progress().folderProperty().isNull());
            } else if (p == StudyViewModel.Page.RESULTS) {
                b.disableProperty().bind(vm.results().resultsProperty().isNull()
                        .and(vm.results().messageProperty().isEmpty()));
            }
            stepBox.getChildren().add(b);
        }
        steps.selectedToggleProperty().addListener((o, a, b) -> {
            if (b == null) {
                a.setSelected(true);
            } else {
                vm.pageProperty().set((StudyViewModel.Page) b.getUserData());
            }
        });
        vm.pageProperty().addListener((o, a, b) -> steps.getToggles().stream()
                .filter(t -> t.getUserData() == b).findFirst().ifPresent(t -> t.setSelected(true)));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox row = new HBox(10, title, desc, grow, stepBox);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /** A folder chooser starting at {@code start} (or its nearest existing parent); null when cancelled. */
    Path chooseFolder(String titleText, String start) {
        DirectoryChooser c = new DirectoryChooser();
        c.setTitle(titleText);
        Path p = start == null || start.isBlank() ? ctx.paths().home() : ctx.paths().home().resolve(start);
        while (p != null && !Files.isDirectory(p)) {
            p = p.getParent();
        }
        if (p != null) {
            c.setInitialDirectory(p.toFile());
        }
        File f = c.showDialog(ctx.owner());
        return f == null ? null : f.toPath();
    }

    private void openResults() {
        Path p = chooseFolder("Open an experiment folder (holding results.json)",
                ctx.paths().runs().resolve("experiments").toString());
        if (p != null) {
            vm.openResults(p);
        }
    }
}
