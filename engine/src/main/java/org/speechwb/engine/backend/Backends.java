package org.speechwb.engine.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import org.nd4j.linalg.factory.Nd4j;
import org.speechwb.engine.nn.Tensors;

/**
 * Chooses and describes the compute backend.
 *
 * <p>{@link #init()} must run before ND4J is first touched: when Intel MKL's JavaCPP jars are on
 * the class path (the default build) it makes JavaCPP load MKL in place of OpenBLAS. On this
 * project's 2-core CPUs that made a small wav2vec 2.0 update about 1.4× faster (see
 * docs/performance.md). The CUDA backend (Maven profile {@code cuda}) is untouched.
 */
public final class Backends {

    static final String BLAS_PROPERTY = "org.bytedeco.openblas.load";

    /** What the run records and the CLI prints about the device. */
    public record Info(String backend, String blas, int threads, String device, String nd4jVersion) {
        @Override
        public String toString() {
            return backend + " (" + device + "; BLAS " + blas + ", " + threads + " threads; ND4J " + nd4jVersion + ")";
        }
    }

    private static volatile boolean initialised;

    private Backends() {
    }

    public static synchronized void init() {
        if (initialised) {
            return;
        }
        initialised = true;
        if (System.getProperty(BLAS_PROPERTY) == null && !"false".equals(System.getenv("SPEECHWB_MKL"))
                && classPresent("org.bytedeco.mkl.global.mkl_rt")) {
            System.setProperty(BLAS_PROPERTY, "mkl_rt");
        }
    }

    private static boolean classPresent(String name) {
        try {
            Class.forName(name, false, Backends.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    public static Info describe() {
        init();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        String backend = String.valueOf(env.getOrDefault("backend", "CPU"));
        String blas = String.valueOf(env.getOrDefault("blas.vendor", "?"));
        if ("mkl_rt".equals(System.getProperty(BLAS_PROPERTY))) {
            blas = "MKL";
        }
        if (!backend.toUpperCase(Locale.ROOT).contains("CUDA") && Tensors.oneDnnGemm()) {
            // the large products go to oneDNN, the rest to the BLAS (nn/DnnlGemm)
            blas = "oneDNN + " + blas;
        }
        int threads = Integer.parseInt(String.valueOf(env.getOrDefault("omp.threads", Runtime.getRuntime().availableProcessors())));
        String device;
        if (backend.toUpperCase(Locale.ROOT).contains("CUDA")) {
            device = String.valueOf(env.getOrDefault("cuda.devicesInformation", "CUDA device"));
        } else {
            device = cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores";
        }
        String version = Nd4j.class.getPackage().getImplementationVersion();
        return new Info(backend.toUpperCase(Locale.ROOT), blas, threads, device, version == null ? "1.0.0-M2.1" : version);
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    /** Resident set size of this process in bytes (Linux), or -1. */
    public static long residentBytes() {
        return statusBytes("self", "VmRSS:");
    }

    /**
     * Resets the peak resident set size to the current one (Linux ≥ 4.0: writing 5 to
     * {@code clear_refs}), so that a benchmark can report the peak of each configuration it runs.
     */
    public static void resetPeakResidentBytes() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException e) {
            // not Linux, or not permitted: the peak then covers the whole process
        }
    }

    /** Peak resident set size (VmHWM) in bytes (Linux), or -1. */
    public static long peakResidentBytes() {
        return statusBytes("self", "VmHWM:");
    }

    /** Peak resident set size of another live process (a benchmark's child), or -1 when it is gone. */
    public static long peakResidentBytes(long pid) {
        return statusBytes(Long.toString(pid), "VmHWM:");
    }

    /** A kB field of {@code /proc/<process>/status} in bytes, or -1 (not Linux, or the process exited). */
    private static long statusBytes(String process, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", process, "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process exited between the check and the read
        }
        return -1;
    }
}
