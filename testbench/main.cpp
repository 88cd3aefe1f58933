// Verilator harness of the generated bnn_engine_top (twin of tb_icarus.v).
//
// Runs the program once and records every layer:
//   - at each layer_done pulse, the layer's output region of the feature memory (from the
//     layer list: one line "<layer id> <out base> <words>" per layer) is written as hex
//     words to <out>/layer_<id>.memh, and "layer <id> cycles <n>" to the log;
//   - at done, "run cycles <n>" (cycles from the start pulse to done) ends the log.
// Memory images are read by the memories ($readmemh, paths relative to the working
// directory). Built with: verilator --cc --exe --build --top-module bnn_engine_top
//   --prefix Vtop bnn_cosim.vlt main.cpp <rtl files>; bnn_harness.h (generated) gives S.
//
// Plusargs: +layers=<file> (layers.txt), +out=<dir> (.), +log=<file> (<out>/cosim.log),
//           +max_cycles=<n> (1000000; exceeding it is a failure: "FAIL" and exit code 1),
//           +vcd=<file> (a VCD waveform of the whole run: both clock edges of every cycle,
//           a 10 ns clock as in tb_icarus.v; only in a build made with --trace, which defines
//           VM_TRACE=1: an untraced build has no tracing code at all and refuses +vcd),
//           +stop_after=<id> (end the run at that layer's layer_done, as if done: the log's
//           "run cycles" counts to there), +fm_out=<file> (at the end, every feature-memory
//           word as hex, one per line: what a later part of a split run must start from).
#include "Vtop.h"
#include "Vtop___024root.h"
#include "verilated.h"
#include "bnn_harness.h"
#if VM_TRACE
#include "verilated_vcd_c.h"
#include <memory>
#endif

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#ifndef BNN_FM_BITS
#error "bnn_harness.h must define BNN_FM_BITS (the feature-memory word width S)"
#endif

namespace {

struct Region {
    uint64_t base;
    uint64_t words;
};

// Value of "+name=value", or the fallback.
std::string plusarg(VerilatedContext& ctx, const std::string& name, const std::string& fallback) {
    const std::string match = ctx.commandArgsPlusMatch((name + "=").c_str());
    if (match.empty()) return fallback;
    return match.substr(name.size() + 2);
}

// Hex digits of a word given as 32-bit chunks, least significant chunk first; as many
// digits as $fdisplay("%h") prints for a BNN_FM_BITS-bit value.
std::string hexWord(const uint32_t* chunks, int bits) {
    const int digits = (bits + 3) / 4;
    std::string text(digits, '0');
    for (int d = 0; d < digits; ++d) {
        const int bit = d * 4;
        const uint32_t nibble = (chunks[bit / 32] >> (bit % 32)) & 0xFu;
        text[digits - 1 - d] = "0123456789abcdef"[nibble];
    }
    return text;
}

template <typename T>
std::string hexOf(const T& value) {
    uint32_t chunks[2] = {static_cast<uint32_t>(static_cast<uint64_t>(value)),
                          static_cast<uint32_t>(static_cast<uint64_t>(value) >> 32)};
    return hexWord(chunks, BNN_FM_BITS);
}

template <std::size_t N>
std::string hexOf(const VlWide<N>& value) {
    return hexWord(value.data(), BNN_FM_BITS);
}

int fail(std::FILE* log, const std::string& message) {
    std::fprintf(stderr, "FAIL: %s\n", message.c_str());
    if (log) {
        std::fprintf(log, "FAIL: %s\n", message.c_str());
        std::fclose(log);
    }
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    VerilatedContext ctx;
    ctx.commandArgs(argc, argv);
    const std::string vcdFile = plusarg(ctx, "vcd", "");
#if VM_TRACE
    // Must be on before the model is built, and only then: an untraced run of a traced
    // build does not pay for change detection.
    if (!vcdFile.empty()) ctx.traceEverOn(true);
#endif
    Vtop top{&ctx};
#if VM_TRACE
    // Declared after the model, so it is destroyed (closed, flushed) first on every
    // return, a failed run's included: the trace of a failure is the one worth reading.
    std::unique_ptr<VerilatedVcdC> trace;
    if (!vcdFile.empty()) {
        trace.reset(new VerilatedVcdC);
        top.trace(trace.get(), 99);
        trace->open(vcdFile.c_str());
        if (!trace->isOpen()) return fail(nullptr, "cannot write trace " + vcdFile);
    }
    // Dumps the signals as they are now, then advances half a clock period: 5 ns in the
    // default time precision of 1 ps, the clock of tb_icarus.v.
    auto traceStep = [&ctx, &trace]() {
        if (!trace) return;
        trace->dump(ctx.time());
        ctx.timeInc(5000);
    };
#else
    if (!vcdFile.empty()) return fail(nullptr, "+vcd needs a harness built with --trace");
#endif

    const std::string layersFile = plusarg(ctx, "layers", "layers.txt");
    const std::string outDir = plusarg(ctx, "out", ".");
    const std::string logFile = plusarg(ctx, "log", outDir + "/cosim.log");
    const uint64_t maxCycles = std::stoull(plusarg(ctx, "max_cycles", "1000000"));
    const std::string stopAfter = plusarg(ctx, "stop_after", "");
    const std::string fmOut = plusarg(ctx, "fm_out", "");

    std::map<uint32_t, Region> regions;
    {
        std::ifstream in(layersFile);
        if (!in) return fail(nullptr, "cannot open layer list " + layersFile);
        uint32_t id;
        Region region;
        while (in >> id >> region.base >> region.words) regions[id] = region;
    }
    std::FILE* log = std::fopen(logFile.c_str(), "w");
    if (!log) return fail(nullptr, "cannot write log " + logFile);

#if VM_TRACE
    auto tick = [&top, &traceStep]() {
        top.clk = 1;
        top.eval();
        traceStep();
        top.clk = 0;
        top.eval();
        traceStep();
    };
#else
    auto tick = [&top]() {
        top.clk = 1;
        top.eval();
        top.clk = 0;
        top.eval();
    };
#endif

    top.clk = 0;
    top.rst = 1;
    top.start = 0;
    top.eval();
#if VM_TRACE
    traceStep();
#endif
    tick();
    tick();
    top.rst = 0;
    tick();
    top.start = 1;
    tick();  // this edge samples start
    top.start = 0;

    const auto& fm = top.rootp->bnn_engine_top__DOT__u_fm__DOT__mem;
    for (uint64_t cycles = 1;; ++cycles) {
        tick();
        if (top.layer_done) {
            const uint32_t id = top.layer_id;
            std::fprintf(log, "layer %u cycles %u\n", id, static_cast<uint32_t>(top.layer_cycles));
            std::printf("layer %u\n", id);  // progress for the caller
            std::fflush(stdout);
            const auto found = regions.find(id);
            if (found == regions.end())
                return fail(log, "layer " + std::to_string(id) + " is not in " + layersFile);
            const std::string dumpFile = outDir + "/layer_" + std::to_string(id) + ".memh";
            std::ofstream dump(dumpFile);
            if (!dump) return fail(log, "cannot write " + dumpFile);
            for (uint64_t n = 0; n < found->second.words; ++n)
                dump << hexOf(fm[found->second.base + n]) << '\n';
        }
        const bool stopped = top.layer_done && !stopAfter.empty() && std::to_string(top.layer_id) == stopAfter;
        if (top.done || stopped) {
            if (!fmOut.empty()) {
                std::ofstream image(fmOut);
                if (!image) return fail(log, "cannot write " + fmOut);
                for (const auto& word : fm.m_storage) image << hexOf(word) << '\n';  // every word, in address order
            }
            std::fprintf(log, "run cycles %llu\n", static_cast<unsigned long long>(cycles));
            std::fclose(log);
            top.final();
            return 0;
        }
        if (cycles >= maxCycles)
            return fail(log, "no done after " + std::to_string(cycles) + " cycles");
    }
}
