using BnnHdl.Engine;
using BnnHdl.Network;

namespace BnnHdl.Lowering;

/// <summary>
/// Last lowering pass: decides the widths (AW, TW, descriptor field layouts) and builds the
/// word values of the program, tile, weight and threshold memories, exactly as
/// docs/engine.md lays them out. (The feature-memory image depends on the input; see
/// <see cref="LoweredProgram.FeatureImage"/>.)
/// </summary>
public static class BuildImages
{
    private sealed record Constants(long[] Bias, long[]? Thresholds, bool[]? Negated, int N);

    public static LoweredProgram Run(ScheduledProgram program)
    {
        var config = program.Config;
        // Per program word: the folded biases depend on the part's taps; thresholds do not.
        var constants = program.Layers.Select(l => l.Source.Dot.Words().Select(part =>
        {
            var bias = Folding.Bias(l.Source, part);
            if (l.Source.IsRaw) return new Constants(bias, null, null, 0);
            var (t, neg) = Folding.Thresholds(l.Source);
            return new Constants(bias, t, neg, l.Source.Threshold!.Count);
        }).ToList()).ToList();

        var values = constants.SelectMany(c => c).SelectMany(c => c.Bias.Concat(c.Thresholds ?? [])).ToList();
        int tw = WideBits.SignedWidth(values.Min(), values.Max());
        int aw = program.Layers.Zip(constants).Max(pair => AccumulatorWidth(pair.First, pair.Second.SelectMany(c => c.Bias).ToArray()));
        // Thresholds are clamped into the accumulator's range (plus one), so TW <= AW and the
        // RTL compares after sign-extending t' to AW bits.
        aw = Math.Max(aw, tw);

        int slots = ThresholdSlots(program);
        var descriptorFields = program.Layers.SelectMany(l => l.Descriptors).Select(d => d.Fields()).ToList();
        var tileFields = program.Layers.SelectMany(l => l.Tiles).Select(t => t.Fields()).ToList();
        var layout = new ProgramLayout(WordLayout.For(descriptorFields), WordLayout.For(tileFields));
        var images = new EngineImages(
            Pack("pm", layout.Program, descriptorFields),
            Pack("tt", layout.Tile, tileFields),
            WeightImage(program),
            ThresholdImage(program, constants, tw, slots));

        var descriptors = program.Layers.SelectMany(l => l.Descriptors).ToList();
        var units = EngineUnits.None;
        foreach (var d in descriptors)
        {
            if (d.OutRaw == 1) units |= EngineUnits.RawOutput; else units |= EngineUnits.Thresholds;
            if (d.Corr == 1) units |= EngineUnits.Correction;
            if (d.PadOne == 1) units |= EngineUnits.PadOne;
            if (d.XcpLog2 > 0) units |= EngineUnits.CrossChannelPool;
            if (d.ResKind != LayerDescriptor.ResNone) units |= EngineUnits.ResidualAdd;
            if (d.LaneMode == 1) units |= EngineUnits.LaneMode;
            if (d.Bcast == 1) units |= EngineUnits.Broadcast;
        }
        var dimensions = new EngineDimensions(
            AccumulatorBits: aw, ThresholdBits: tw,
            FmWords: program.Memory.PeakWords, WmWords: program.WmWords, TmWords: program.TmWords,
            TileWords: program.TileWords, ProgramWords: descriptors.Count,
            FmWordBits: config.S, WmWordBits: config.P * config.S, TmWordBits: config.P * (slots * tw + 1),
            TileWordBits: layout.Tile.Bits, ProgramWordBits: layout.Program.Bits,
            MaxThresholds: descriptors.Max(d => d.NThr), MaxInPlanes: descriptors.Max(d => d.InK),
            MaxOutPlanes: descriptors.Max(d => d.OutK), ThresholdSlots: slots, Units: units,
            Segments: descriptors.Max(d => d.Segments), Banks: descriptors.Max(AccessWords), PeGroups: descriptors.Max(d => d.PeGroups));
        return new LoweredProgram(config, dimensions, layout, program.Memory, program.Layers, images);
    }

    /// <summary>
    /// Signed width holding every value the datapath forms for this layer: cross << SC,
    /// -(corr << SK), their sum with bias', the accumulator's bounds and accMax + 1 (the
    /// largest clamped threshold it is compared with); with a fused residual Add also
    /// acc << sa, r << sb, their sum and the sum's bounds.
    /// </summary>
    private static int AccumulatorWidth(ScheduledLayer layer, long[] bias)
    {
        var d = layer.Descriptor;
        var dot = layer.Source.Dot;
        // cross and corr count stored bits (0 / 1 for B) times plane weights: each lies
        // between terms * (smallest value) and terms * (largest value) of the read type.
        var read = dot.ReadType;
        long lowValue = read.IsBipolar ? 0 : Math.Min(read.Min, 0), highValue = read.IsBipolar ? 1 : read.Max;
        long maxTerms = dot.Geometry.Groups.Max(g => (long)g.InCount) * dot.Words().Max(p => p.Taps);
        long crossLo = lowValue * maxTerms, crossHi = highValue * maxTerms;
        long corrLo = d.Corr == 1 ? crossLo : 0, corrHi = d.Corr == 1 ? crossHi : 0, bsumHi = 0;
        if (dot.Broadcast is { } b)
        {
            // cross sums value x element; bsum sums the elements.
            long element = b.ReadType.IsBipolar ? 1 : b.ReadType.Max;
            (crossHi, bsumHi) = (crossHi * element, d.Bcorr == 1 ? element * maxTerms : 0);
        }
        long min = Math.Min((crossLo << d.Sc) - (corrHi << d.Sk) - (bsumHi << d.Sbc) + Math.Min(bias.Min(), 0), layer.Source.Accumulator.Min);
        long max = Math.Max((crossHi << d.Sc) - (corrLo << d.Sk) + Math.Max(bias.Max(), 0), layer.Source.Accumulator.Max + 1);
        if (layer.Source.Add is { } add)
        {
            // sum = (acc << sa) + (r << sb): both shifted terms, any value the residual's planes
            // can hold, their sum and the sum's bounds (plus one, the largest clamped threshold).
            var r = add.Residual.Type;
            long accLo = min << d.Sa, accHi = max << d.Sa, resLo = r.Min << d.Sb, resHi = r.Max << d.Sb;
            min = new[] { accLo, resLo, accLo + resLo, layer.Source.Sum.Min }.Min();
            max = new[] { accHi, resHi, accHi + resHi, layer.Source.Sum.Max + 1 }.Max();
        }
        if (layer.Source.Gate is not null)
        {
            // A B gate negates: -acc over the accumulator's whole range, and the product's bounds.
            min = new[] { min, -max, layer.Source.Sum.Min }.Min();
            max = new[] { max, -min, layer.Source.Sum.Max + 1 }.Max();
        }
        return WideBits.SignedWidth(Math.Min(min, 0), Math.Max(max, 0));
    }

    /// <summary>
    /// Feature-memory words one access must cover for a program word: the G Q positions of a
    /// segmented layer (G segments, Q PE groups) lie K words apart (output and residual planes K;
    /// inputs sx K), so (G Q - 1) K + 1 (with the window the input's G + KW - 1 positions), rounded
    /// up to a power of two (the banks); 1 with one position per beat.
    /// </summary>
    private static int AccessWords(LayerDescriptor d)
    {
        // The window reads G + KW - 1 input positions per beat.
        // The vertical walk reads and writes one plane of positions a row apart: a word each.
        int inPositions = d.Positions + (d.Win == 1 ? d.Kw - 1 : 0);
        if (inPositions == 1) return 1;
        // Neighbouring positions read inputs sx_step words apart (sx K).
        int inWords = d.Vert == 1 ? 1 : d.SxStep, outWords = d.Vert == 1 ? 1 : Math.Max(d.OutK, d.ResK);
        int words = Math.Max((inPositions - 1) * inWords, (d.Positions - 1) * outWords) + 1;
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)words);
    }

    private static MemoryImage Pack(string name, WordLayout layout, IReadOnlyList<IReadOnlyList<(string Name, long Value)>> words)
    {
        int per = WideBits.Chunks(layout.Bits);
        var chunks = new ulong[words.Count * per];
        for (int a = 0; a < words.Count; a++) layout.Pack(words[a], chunks.AsSpan(a * per, per));
        return MemoryImage.Of(name, layout.Bits, chunks);
    }

    /// <summary>
    /// word(tile, ky, kx, j) = wb + (ky * KW + kx) * NCB + j; bit i * S + l is the stored weight
    /// of PE i (channel oc0 + i) for input channel (cb_lo + j) * S + l, 0 outside the group.
    /// In lane mode PE i has only its own lane, lane_lo + i (its channel's one input). With G
    /// segments j is a run block of L = S / G lanes and lane l holds the weight of the group's
    /// input j L + l mod L: every segment the same; in lane
    /// mode the first lane of each run holds the channel's weight. With the window
    /// (docs/engine.md "Window") one word per window row, word(tile, ky) = wb + ky: lane kx of
    /// every run holds the channel's weight of tap (ky, kx).
    /// </summary>
    private static MemoryImage WeightImage(ScheduledProgram program)
    {
        int s = program.Config.S, bits = program.Config.P * s, per = WideBits.Chunks(bits);
        var chunks = new ulong[program.WmWords * per];
        foreach (var layer in program.Layers)
        {
            var dot = layer.Source.Dot;
            if (dot.AllOnes) continue; // ones: the engine does not read weights
            var offsets = dot.WeightOffsets();
            bool lane = dot.Mode != DotMode.Dense;
            foreach (var part in layer.Parts)
            {
                int kh = part.Descriptor.Kh, kw = part.Descriptor.Kw;
                // With G segments every run of S / G lanes holds the same weights (one position each).
                int run = s >> part.Descriptor.SegLog2;
                foreach (var tile in part.Tiles)
                    for (int ky = 0; ky < kh; ky++)
                        for (int kx = 0; kx < kw; kx++)
                            for (int j = 0; j < tile.Ncb; j++)
                            {
                                // The window keeps a row's taps in one word (lane kx of every run).
                                bool window = part.Descriptor.Win == 1;
                                int tapWord = window ? ky : ky * kw + kx;
                                var word = chunks.AsSpan((tile.Wb + tapWord * tile.Ncb + j) * per, per);
                                for (int i = 0; i < tile.Active; i++)
                                {
                                    if (lane)
                                    {
                                        // Segmented: the first lane of every run; else the PE's own input lane.
                                        // The vertical walk's taps (0, kx) are the strip's (kx, 0).
                                        bool vertical = part.Descriptor.Vert == 1;
                                        if (dot.WeightBit(offsets, tile.Oc0 + i, 0, vertical ? kx : ky, vertical ? ky : kx))
                                            for (int g = 0; g < part.Descriptor.Segments; g++)
                                                WideBits.Set(word, i * s + (window ? g * run + kx : part.Descriptor.SegLog2 > 0 ? g * run : tile.LaneLo + i), 1, 1);
                                        continue;
                                    }
                                    for (int l = 0; l < s; l++)
                                    {
                                        // Segmented: run block j is the group's inputs j L .. j L + L - 1 (L = run).
                                        int ic = part.Descriptor.SegLog2 > 0 ? tile.InLo + j * run + l % run : (tile.CbLo + j) * s + l;
                                        if (ic >= tile.InLo && ic < tile.InHi && dot.WeightBit(offsets, tile.Oc0 + i, ic - tile.InLo, ky, kx))
                                            // Every PE group holds the tile's channels: PE q P/Q + i.
                                            for (int q = 0; q < part.Descriptor.PeGroups; q++)
                                                WideBits.Set(word, (q * (program.Config.P >> part.Descriptor.PegLog2) + i) * s + l, 1, 1);
                                    }
                                }
                            }
            }
        }
        return MemoryImage.Of("wm", bits, chunks);
    }

    /// <summary>
    /// Values of TW bits per PE in a threshold-memory word: the folded bias, then every
    /// threshold of the layer with the most (at least one slot for them), so the engine
    /// compares all of a channel's thresholds at once. A direction bit follows them.
    /// </summary>
    private static int ThresholdSlots(ScheduledProgram program) =>
        1 + Math.Max(1, program.Layers.SelectMany(l => l.Descriptors).Max(d => d.NThr));

    /// <summary>
    /// One word per tile (at tb): PE i's lane holds its folded bias in slot 0, threshold t'_j in
    /// slot j (slots past the layer's n thresholds are 0; the engine ignores them), then the
    /// channel's direction bit.
    /// </summary>
    private static MemoryImage ThresholdImage(ScheduledProgram program, List<List<Constants>> constants, int tw, int slots)
    {
        int lane = slots * tw + 1, bits = program.Config.P * lane, per = WideBits.Chunks(bits);
        var chunks = new ulong[program.TmWords * per];
        for (int k = 0; k < program.Layers.Count; k++)
            for (int part = 0; part < program.Layers[k].Parts.Count; part++)
            {
                var c = constants[k][part];
                var d = program.Layers[k].Parts[part].Descriptor;
                foreach (var tile in program.Layers[k].Parts[part].Tiles)
                    // Every PE group holds the tile's channels: PE q P/Q + i has channel oc0 + i.
                    for (int pi = 0; pi < tile.Active * d.PeGroups; pi++)
                    {
                        int i = pi % tile.Active, o = tile.Oc0 + i, pe = (pi / tile.Active * (program.Config.P >> d.PegLog2) + i) * lane;
                        var word = chunks.AsSpan(tile.Tb * per, per);
                        WideBits.Set(word, pe, tw, (ulong)c.Bias[o]);
                        for (int j = 1; j <= c.N; j++)
                            WideBits.Set(word, pe + j * tw, tw, (ulong)c.Thresholds![o * c.N + j - 1]);
                        if (c.N > 0) WideBits.Set(word, pe + slots * tw, 1, c.Negated![o] ? 1UL : 0UL);
                    }
            }
        return MemoryImage.Of("tm", bits, chunks);
    }
}
