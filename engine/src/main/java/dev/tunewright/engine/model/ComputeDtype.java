package dev.tunewright.engine.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The dtype the frozen base model computes in, as {@code --dtype} names it. Adapters, their gradients and the
 * optimizer state stay float32 whatever this is (see {@code LoraLayer}); so do norms' statistics, attention's softmax
 * and the loss. A CPU with AMX or AVX-512 BF16 runs bf16 matmuls several times faster than float32 ones (measured in
 * docs/benchmarks.md), which is where most of a step's time goes, so {@link #AUTO} picks bf16 there.
 */
public enum ComputeDtype {
    /**
     * bf16 on a CPU that has AMX or AVX-512 BF16 (and where the JNA route to libtorch's casts works, see
     * {@link NativeOps}), float32 on other CPUs; on a GPU, {@link Torch#dtypeFor}.
     */
    AUTO,
    FLOAT32,
    BFLOAT16;

    /** The CPU flags (as Linux's /proc/cpuinfo names them) under which bf16 matmuls have hardware support. */
    public static final Set<String> BF16_CPU_FLAGS = Set.of("amx_bf16", "avx512_bf16");

    /** {@code auto}, {@code float32} or {@code bfloat16}, case-insensitive; null means auto. */
    public static ComputeDtype parse(String value) {
        if (value == null) {
            return AUTO;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (ComputeDtype d : values()) {
            if (d.key().equals(v)) {
                return d;
            }
        }
        throw new IllegalArgumentException("dtype '" + value + "' is not one of "
                + Arrays.stream(values()).map(ComputeDtype::key).collect(Collectors.joining(", ")));
    }

    /** The name {@code --dtype} takes. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The dtype to load {@code family}'s base weights in on {@code device}. */
    public DataType resolve(Device device, Family family) {
        return resolve(device, family, CpuFlags.LOCAL);
    }

    DataType resolve(Device device, Family family, CpuFlags cpu) {
        return switch (this) {
            case FLOAT32 -> DataType.FLOAT32;
            case BFLOAT16 -> DataType.BFLOAT16;
            case AUTO -> device.isGpu() ? Torch.dtypeFor(device, family)
                    : cpu.hasAny(BF16_CPU_FLAGS) && NativeOps.available() ? DataType.BFLOAT16 : DataType.FLOAT32;
        };
    }

    /** Why {@link #resolve} chose what it did, for the run's log. */
    public String explain(Device device, Family family) {
        String chosen = resolve(device, family).name().toLowerCase(Locale.ROOT);
        if (this != AUTO) {
            return chosen + " (as asked)";
        }
        if (device.isGpu()) {
            return chosen + " (auto on " + device + ")";
        }
        List<String> found = BF16_CPU_FLAGS.stream().filter(CpuFlags.LOCAL::has).sorted().toList();
        if (found.isEmpty()) {
            return chosen + " (auto: the CPU has neither amx_bf16 nor avx512_bf16)";
        }
        return chosen + " (auto: the CPU has " + String.join(", ", found)
                + (NativeOps.available() ? "" : ", but libtorch's casts are not reachable through JNA") + ")";
    }

    /** The flags of this machine's CPU; empty where /proc/cpuinfo is not there (not Linux), which means float32. */
    record CpuFlags(Set<String> flags) {

        static final CpuFlags LOCAL = read(Path.of("/proc/cpuinfo"));

        static CpuFlags read(Path cpuinfo) {
            try {
                return parse(Files.readAllLines(cpuinfo));
            } catch (IOException | RuntimeException e) {
                return new CpuFlags(Set.of());
            }
        }

        /** The {@code flags} line of the first processor. */
        static CpuFlags parse(List<String> cpuinfo) {
            return cpuinfo.stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> new CpuFlags(Set.copyOf(Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))))
                    .orElse(new CpuFlags(Set.of()));
        }

        boolean has(String flag) {
            return flags.contains(flag);
        }

        boolean hasAny(Set<String> wanted) {
            return wanted.stream().anyMatch(flags::contains);
        }
    }
}
