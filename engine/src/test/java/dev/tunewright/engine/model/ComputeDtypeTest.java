package dev.tunewright.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code --dtype} accepts and what {@code auto} picks on which CPU. */
class ComputeDtypeTest {

    private static final ComputeDtype.CpuFlags ZEN5 = ComputeDtype.CpuFlags.parse(List.of(
            "processor\t: 0", "model name\t: AMD EPYC", "flags\t\t: fpu sse avx2 avx512f avx512_bf16 avx512_vnni",
            "processor\t: 1", "flags\t\t: fpu sse avx2 avx512f avx512_bf16 avx512_vnni"));
    private static final ComputeDtype.CpuFlags SAPPHIRE_RAPIDS = ComputeDtype.CpuFlags.parse(List.of(
            "flags\t\t: fpu avx512f amx_bf16 amx_tile amx_int8"));
    private static final ComputeDtype.CpuFlags HASWELL = ComputeDtype.CpuFlags.parse(List.of("flags\t\t: fpu avx2 fma"));
    private static final ComputeDtype.CpuFlags NO_CPUINFO = ComputeDtype.CpuFlags.parse(List.of());

    @Test
    void autoPicksBfloat16OnlyWhereTheCpuHasHardwareForIt() {
        Device cpu = Device.cpu();
        assertThat(ComputeDtype.AUTO.resolve(cpu, Family.LLAMA, ZEN5)).isEqualTo(DataType.BFLOAT16);
        assertThat(ComputeDtype.AUTO.resolve(cpu, Family.GEMMA2, SAPPHIRE_RAPIDS)).isEqualTo(DataType.BFLOAT16);
        assertThat(ComputeDtype.AUTO.resolve(cpu, Family.LLAMA, HASWELL)).isEqualTo(DataType.FLOAT32);
        assertThat(ComputeDtype.AUTO.resolve(cpu, Family.LLAMA, NO_CPUINFO)).isEqualTo(DataType.FLOAT32);
        assertThat(ComputeDtype.FLOAT32.resolve(cpu, Family.LLAMA, ZEN5)).isEqualTo(DataType.FLOAT32);
        assertThat(ComputeDtype.BFLOAT16.resolve(cpu, Family.LLAMA, HASWELL)).isEqualTo(DataType.BFLOAT16);
    }

    @Test
    void parsesTheThreeNamesAndRefusesOthersListingThem() {
        assertThat(ComputeDtype.parse(null)).isEqualTo(ComputeDtype.AUTO);
        assertThat(ComputeDtype.parse(" BFloat16 ")).isEqualTo(ComputeDtype.BFLOAT16);
        assertThat(ComputeDtype.parse("float32")).isEqualTo(ComputeDtype.FLOAT32);
        assertThatThrownBy(() -> ComputeDtype.parse("fp16")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dtype 'fp16' is not one of auto, float32, bfloat16");
    }

    @Test
    void explainsAnAutomaticChoiceByTheCpuFlagsItFound() {
        String why = ComputeDtype.AUTO.explain(Device.cpu(), Family.LLAMA);
        assertThat(why).matches("(bfloat16 \\(auto: the CPU has (amx_bf16|avx512_bf16|amx_bf16, avx512_bf16)\\))"
                + "|(float32 \\(auto: the CPU has neither amx_bf16 nor avx512_bf16\\))");
        assertThat(ComputeDtype.FLOAT32.explain(Device.cpu(), Family.LLAMA)).isEqualTo("float32 (as asked)");
    }
}
