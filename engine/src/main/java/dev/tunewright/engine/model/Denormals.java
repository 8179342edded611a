package dev.tunewright.engine.model;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import java.nio.file.Path;

/**
 * Flushes denormal floats to zero on each thread that runs tensor ops, as {@code torch.set_flush_denormal(True)}
 * does in Python. Arithmetic on denormals (below ~1.2e-38 in float32) takes a slow path on x86 CPUs, 3x slower for
 * a whole training step when small weights drive activations or gradients there (docs/benchmarks.md); results
 * change only in values no float32 model can represent anyway. DJL's PyTorch JNI has no call for it, so libtorch's
 * own {@code at::Context::setFlushDenormal(bool)} (a static member) is called through JNA.
 *
 * <p>The flag lives in the CPU's MXCSR register, so it is per thread, and HotSpot loads the standard value whenever
 * native code calls into Java (a JNI callback, a reflective call before inflation) and puts the caller's back on
 * return: a flag set inside such a call is gone once it returns. So {@link Torch#engine()}, which every engine entry
 * point (loading, training, generation, scoring) calls at its start, sets it on every call (one native call, about a
 * microsecond), and the entry point's ops run with it. Java float arithmetic on such a thread flushes denormals too.
 * With more than one torch thread, libgomp's intra-op workers run part of each op with a register of their own,
 * copied from the thread that creates them at its first parallel op; an engine thread's first op follows an engine
 * call, so its workers flush too (a worker made before, or the switch turned later, keeps its old setting). Off with
 * {@code -Dtunewright.torch.flushDenormals=false}.
 */
final class Denormals {

    static final String SWITCH = "tunewright.torch.flushDenormals";

    private static final System.Logger LOG = System.getLogger(Denormals.class.getName());

    private Denormals() {}

    /**
     * Flushes denormals on the calling thread, or, switched off, makes sure it does not: the switch holds from the
     * next engine call on, also on a thread that flushed before.
     */
    static void onThisThread() {
        boolean flush = Boolean.parseBoolean(System.getProperty(SWITCH, "true"));
        Function setter = Setter.FUNCTION;
        if (setter != null) {
            setter.invoke(byte.class, new Object[] {flush});
        }
    }

    /** libtorch's setter, looked up once; null (after a warning) where the library or symbol is missing. */
    private static final class Setter {
        static final Function FUNCTION = lookUp();

        private static Function lookUp() {
            try {
                NativeLibrary lib = NativeLibrary.getInstance(
                        Path.of(LibUtils.getLibtorchPath(), System.mapLibraryName("torch_cpu")).toString());
                return lib.getFunction("_ZN2at7Context16setFlushDenormalEb");
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "denormals are not flushed: libtorch's setFlushDenormal is not "
                        + "reachable (" + e + "); -D" + SWITCH + "=false silences this");
                return null;
            }
        }
    }
}
