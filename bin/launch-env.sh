# Sourced by ./speechwb, ./workbench and ./workbench-dev: builds a module's class path when the
# sources changed, and sets the process environment measured in docs/performance.md.
# Keep the JVM options in step with <speechwb.jvm.args> in pom.xml (used by tests and exec:exec).

# ensure_classpath MODULE MAIN_CLASSES_DIR: (re)compiles MODULE with Maven when anything changed
ensure_classpath() {
  local module="$1" cp_file="$here/$1/target/classpath.txt"
  if [[ ! -f "$cp_file" || ! -d "$here/$module/target/classes" || ! -d "$here/engine/target/classes" || \
        -n "$(find "$here/app/src/main" "$here/engine/src/main" "$here/resources" "$here/app/pom.xml" \
              "$here/engine/pom.xml" "$here/pom.xml" -newer "$cp_file" -print -quit)" ]]; then
    # with -am the engine's and parent's class paths go to the same file; the requested module comes last and wins
    mvn -q -B -f "$here/pom.xml" -pl "$module" -am compile dependency:build-classpath -Dmdep.outputFile="$cp_file" \
      ${SPEECHWB_MAVEN_ARGS:-} >&2
  fi
  classpath="$here/$module/target/classes:$(cat "$cp_file")"
}

# Keep freed native buffers for reuse instead of returning them to the OS; stop idle OpenMP
# threads spinning beside the BLAS threads.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-268435456}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-68719476736}"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
# G1 gives freed heap back after collections, so resident memory stays flat over long runs.
# The Vector API module lets the engine's element-wise kernels use SIMD lanes (without it they
# fall back to scalar loops or ND4J ops); the JVM prints one "incubator modules" warning for it.
# Until the JIT has compiled them, those kernels allocate heavily for a few updates; with G1's
# default GCTimeRatio (12) that grew the committed heap from about 210 to 400 MB, with 4 to 310
# (bench-pretrain small: peak RSS 1245 against 1157 MB; docs/performance.md).
jvm_opts=(${SPEECHWB_JAVA_OPTS:---add-modules=jdk.incubator.vector -Xmx6g -XX:+UseG1GC -XX:GCTimeRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 \
  -Dorg.bytedeco.javacpp.maxbytes=12G -Dorg.bytedeco.javacpp.maxphysicalbytes=16G})
