package org.speechwb.engine.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the commands. */
final class Cli {

    private Cli() {
    }

    /** The project folder: {@code -Dspeechwb.home} (set by the launchers), else the working directory. */
    static Path home() {
        String h = System.getProperty("speechwb.home");
        return Path.of(h != null ? h : ".").toAbsolutePath().normalize();
    }

    /** Relative paths resolve against the working directory, falling back to the project folder. */
    static Path resolve(Path p) {
        if (p.isAbsolute() || java.nio.file.Files.exists(p)) {
            return p.toAbsolutePath().normalize();
        }
        return home().resolve(p).normalize();
    }

    static List<String> commandLine() {
        List<String> out = new ArrayList<>();
        out.add("speechwb");
        String cmd = System.getProperty("sun.java.command", "");
        String[] parts = cmd.split(" ");
        for (int i = 1; i < parts.length; i++) {
            out.add(parts[i]);
        }
        if (out.size() == 1) {
            out.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        }
        return out;
    }
}
