package org.speechwb.engine.nn;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_matmul_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_strides;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_sum;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_output_scales;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_impl_info_str;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_matmul_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.LoggerFactory;

/**
 * Row-major float32 GEMM through oneDNN's matmul primitive, the library PyTorch itself uses
 * for its CPU convolutions.
 *
 * <p>Why: on the AMD EPYC machines we measure on, MKL's {@code sgemm} runs a BASE update's
 * shapes at 120–160 GFLOP/s (likely no AVX-512 path for AMD) and OpenBLAS at about 185, where
 * oneDNN's brgemm kernels give 280–340 (docs/performance.md, fourth pass). On Intel CPUs the two
 * are close. {@link CpuBlas#sgemm} sends every product large enough for it to pay here.
 *
 * <p>A primitive is built once per shape, layout, alpha and beta and the most recently used are
 * kept; products whose primitive would be oneDNN's reference implementation are remembered as
 * unsupported and left to the BLAS, as is everything when oneDNN cannot be loaded (a warning
 * says why). {@code SPEECHWB_ONEDNN=false} turns it off.
 */
final class DnnlGemm {

    /** Below this many multiply-adds the BLAS call is cheaper than oneDNN's dispatch. */
    static final long MIN_MACS = 1L << 18;
    /**
     * Primitives kept. Batches of varying length give every update new row counts, so the least
     * recently used are destroyed rather than kept for good (RSS must stay flat over a run).
     */
    private static final int MAX_CACHED = 256;

    private static volatile Boolean available;
    private static dnnl_engine engine;
    /** oneDNN streams are not meant to be shared between threads: one per calling thread. */
    private static final ThreadLocal<dnnl_stream> STREAM = ThreadLocal.withInitial(() -> {
        dnnl_stream s = new dnnl_stream();
        check(dnnl_stream_create(s, engine, dnnl_stream_default_flags), "stream");
        return s;
    });
    /** Tests turn it off to compare with the BLAS. */
    private static volatile boolean enabled = !"false".equals(System.getenv("SPEECHWB_ONEDNN"));
    private static String loadError;

    private record Key(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc, int alphaBits,
            int betaBits) {
    }

    /** A primitive and the memory objects whose data handles each call points at its arrays. */
    private static final class Entry {
        final dnnl_primitive primitive;
        final dnnl_memory a;
        final dnnl_memory b;
        final dnnl_memory c;
        final dnnl_exec_arg_t args;
        final String impl;
        /** Set, under the entry's lock, once evicted: a caller that fetched it before then retries. */
        boolean destroyed;

        Entry(dnnl_primitive primitive, dnnl_memory a, dnnl_memory b, dnnl_memory c, String impl) {
            this.primitive = primitive;
            this.a = a;
            this.b = b;
            this.c = c;
            this.impl = impl;
            this.args = new dnnl_exec_arg_t(3);
            args.position(0).arg(DNNL_ARG_SRC).memory(a);
            args.position(1).arg(DNNL_ARG_WEIGHTS).memory(b);
            args.position(2).arg(DNNL_ARG_DST).memory(c);
            args.position(0);
        }

        void destroy() {
            destroyed = true;
            dnnl_primitive_destroy(primitive);
            dnnl_memory_destroy(a);
            dnnl_memory_destroy(b);
            dnnl_memory_destroy(c);
        }
    }

    /** Least recently used first. */
    private static final Map<Key, Entry> CACHE = new LinkedHashMap<>(64, 0.75f, true);
    /** Products oneDNN has no optimised kernel for, so that each is asked about once. */
    private static final Set<Key> REFUSED = new HashSet<>();

    private DnnlGemm() {
    }

    static void setEnabled(boolean on) {
        enabled = on;
    }

    /** Whether oneDNN is switched on and its natives loaded (loads them on first call). */
    static boolean available() {
        if (!enabled) {
            return false;
        }
        Boolean a = available;
        if (a == null) {
            synchronized (DnnlGemm.class) {
                if (available == null) {
                    available = load();
                }
                a = available;
            }
        }
        return a;
    }

    /** Why oneDNN could not be loaded, or null. */
    static String loadError() {
        return loadError;
    }

    private static boolean load() {
        try {
            dnnl_engine e = new dnnl_engine();
            check(dnnl_engine_create(e, dnnl_cpu, 0), "engine");
            engine = e;
            STREAM.get();
            return true;
        } catch (LinkageError | RuntimeException ex) {
            loadError = ex.toString();
            LoggerFactory.getLogger(DnnlGemm.class).warn("oneDNN could not be loaded ({}): every product goes to the BLAS",
                    loadError);
            return false;
        }
    }

    /**
     * {@code C = alpha·op(A)·op(B) + beta·C}, with the pointers already at each matrix's first
     * element. Returns false, having done nothing, when oneDNN has no optimised kernel for it.
     * Callers check {@link #available()} first.
     */
    static boolean sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, FloatPointer a, int lda,
            FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        Key key = new Key(transA, transB, m, n, k, lda, ldb, ldc, Float.floatToIntBits(alpha), Float.floatToIntBits(beta));
        while (true) {
            Entry e = entry(key);
            if (e == null) {
                return false;
            }
            // one memory-object set per primitive: calls of the same shape from two threads take turns
            synchronized (e) {
                if (e.destroyed) {
                    continue;
                }
                check(dnnl_memory_set_data_handle(e.a, bytes(a)), "set A");
                check(dnnl_memory_set_data_handle(e.b, bytes(b)), "set B");
                check(dnnl_memory_set_data_handle(e.c, bytes(c)), "set C");
                dnnl_stream stream = STREAM.get();
                check(dnnl_primitive_execute(e.primitive, stream, 3, e.args), "matmul");
                check(dnnl_stream_wait(stream), "wait");
                return true;
            }
        }
    }

    /**
     * The same address as a byte pointer: JavaCPP adds a {@code void*} argument's position in
     * bytes, whatever the pointer's element type, so a float offset must be given in bytes.
     */
    private static BytePointer bytes(FloatPointer p) {
        return new BytePointer(p).position(p.position() * Float.BYTES);
    }

    /** The cached primitive for a product, built on first use; null when oneDNN has no optimised kernel for it. */
    private static Entry entry(Key key) {
        synchronized (CACHE) {
            if (REFUSED.contains(key)) {
                return null;
            }
            Entry e = CACHE.get(key);
            if (e == null) {
                e = create(key);
                if (e == null) {
                    if (REFUSED.size() > 4096) {
                        REFUSED.clear();
                    }
                    REFUSED.add(key);
                    return null;
                }
                CACHE.put(key, e);
                if (CACHE.size() > MAX_CACHED) {
                    Iterator<Entry> oldest = CACHE.values().iterator();
                    Entry old = oldest.next();
                    oldest.remove();
                    synchronized (old) {
                        old.destroy();
                    }
                }
            }
            return e;
        }
    }

    /** Primitives held now (tests). */
    static int cached() {
        synchronized (CACHE) {
            return CACHE.size();
        }
    }

    /** The implementation oneDNN picked for a product (tests and benchmarks), or null if it is refused. */
    static String implementation(boolean transA, boolean transB, int m, int n, int k, int lda, int ldb, int ldc) {
        if (!available()) {
            return null;
        }
        Entry e = create(new Key(transA, transB, m, n, k, lda, ldb, ldc, Float.floatToIntBits(1f), 0));
        if (e == null) {
            return null;
        }
        synchronized (e) {
            e.destroy();
        }
        return e.impl;
    }

    private static Entry create(Key key) {
        dnnl_memory_desc_t am = matrix(key.m, key.k, key.lda, key.transA);
        dnnl_memory_desc_t bm = matrix(key.k, key.n, key.ldb, key.transB);
        dnnl_memory_desc_t cm = matrix(key.m, key.n, key.ldc, false);
        dnnl_matmul_desc_t desc = new dnnl_matmul_desc_t();
        check(dnnl_matmul_desc_init(desc, am, bm, null, cm), "matmul descriptor");
        dnnl_primitive_attr attr = new dnnl_primitive_attr();
        check(dnnl_primitive_attr_create(attr), "attributes");
        dnnl_post_ops ops = null;
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        try {
            float alpha = Float.intBitsToFloat(key.alphaBits);
            float beta = Float.intBitsToFloat(key.betaBits);
            if (alpha != 1f) {
                check(dnnl_primitive_attr_set_output_scales(attr, 1, 0, new float[] {alpha}), "alpha");
            }
            if (beta != 0f) {
                ops = new dnnl_post_ops();
                check(dnnl_post_ops_create(ops), "post-ops");
                check(dnnl_post_ops_append_sum(ops, beta), "beta");
                check(dnnl_primitive_attr_set_post_ops(attr, ops), "post-ops");
            }
            if (dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), attr, engine, null) != dnnl_success) {
                return null;
            }
            PointerPointer<BytePointer> info = new PointerPointer<>(1);
            check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, info), "implementation");
            String impl = info.getString(0);
            if (impl.startsWith("ref")) {
                // the reference loops; oneDNN's own jit gemm ("gemm:jit", which takes the strided layouts
                // its brgemm kernels refuse) is kept: about twice MKL's speed here too
                dnnl_primitive_desc_destroy(pd);
                return null;
            }
            dnnl_primitive p = new dnnl_primitive();
            check(dnnl_primitive_create(p, pd), "primitive");
            dnnl_primitive_desc_destroy(pd);
            return new Entry(p, memory(am), memory(bm), memory(cm), impl);
        } finally {
            if (ops != null) {
                dnnl_post_ops_destroy(ops);
            }
            dnnl_primitive_attr_destroy(attr);
        }
    }

    /** A {@code rows × cols} matrix stored row-major with leading dimension ld, or its transpose's storage. */
    private static dnnl_memory_desc_t matrix(int rows, int cols, int ld, boolean transposed) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        long[] strides = transposed ? new long[] {1, ld} : new long[] {ld, 1};
        check(dnnl_memory_desc_init_by_strides(md, 2, new long[] {rows, cols}, dnnl_f32, strides), "memory descriptor");
        return md;
    }

    private static dnnl_memory memory(dnnl_memory_desc_t md) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, engine, null), "memory");
        return m;
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed (status " + status + ")");
        }
    }
}
