// bnn_seg_input: what the segments of a beat read (docs/engine.md "Segments", "Window").
//
// A feature-memory access returns FB consecutive words. Input position j of the access
// (j < FB: position slot j of the beat) is word j x in_k (the same tap, block and plane of
// its position), or the pad word when that position is padding, masked to the tile's
// lanes; slot j's residual word is word j x res_k of port B's access and its output word
// j x out_k of the write. With 2^seg_m segments and 2^peg_m PE groups (docs/engine.md
// "PE groups"), PE group q (PEs q P/Q ..) computes slots q G .. q G + G - 1 (G = 2^seg_m),
// and run g of its S lanes (S >> seg_m lanes from g S/G) carries slot q G + g:
// - dense work: the word's S >> seg_m lanes from lane lane_sh (the beat's run block of the
//   group), the same act vector for every PE of a PE group;
// - lane mode: PE i's channel (lane lane_lo + i of the word) on the run's first lane, the
//   other lanes 0, so every PE has its own act vector; with the window (win) lane t < kw of
//   run g carries position g + t, the window row's tap t of segment g. run_taps marks those
//   lanes (the lane-mode weights). Without segments or window PE i's lane is lane_lo + i of
//   the one word.
// Segment g's broadcast element word (act x act products, docs/engine.md "Segments for
// products") is word g x bc_k of the access when the columns' elements lie in neighbouring
// positions (bc_per_tap), else the access's first word (they are neighbouring lanes of it).
// Every j x k is a shift-and-add of the field value over the bits of the constant j (no multiplier).
module bnn_seg_input #(
  parameter integer P    = 4,    // PEs
  parameter integer S    = 8,    // lanes
  parameter integer SEGS = 1,    // most segments (a power of two dividing S)
  parameter integer PEGS = 1,    // most PE groups (a power of two dividing P)
  parameter integer SLOTS = 1,   // PEGS x SEGS: most positions per beat
  parameter integer FB   = 1,    // words per access (FB >= SEGS)
  parameter integer FBS  = 8,    // FB x S
  parameter integer WIW  = 4,    // width of a word index j x k
  parameter integer SMW  = 1,    // width of seg_m
  parameter integer PGW  = 1,    // width of peg_m
  parameter integer LLW  = 3,    // width of lane_lo
  parameter integer LSW  = 3,    // width of lane_sh
  parameter integer KWW  = 2,    // width of kw
  parameter integer PS   = 32,   // P x S
  parameter integer SS   = 8,    // SLOTS x S
  parameter integer SI   = 4,    // SLOTS x WIW
  parameter integer QS   = 8,    // PEGS x S
  parameter integer ES   = 8     // SEGS x S
) (
  input  wire [FBS-1:0]  a_words,    // port A's access (word i at bits [i x S +: S])
  input  wire [FBS-1:0]  b_words,    // port B's access
  input  wire [WIW-1:0]  in_k,
  input  wire [WIW-1:0]  out_k,
  input  wire [WIW-1:0]  res_k,
  input  wire [SMW-1:0]  seg_m,      // log2 of the beat's segments
  input  wire [PGW-1:0]  peg_m,      // log2 of its PE groups (dense work)
  input  wire            lane_segs,  // lane mode with segments or the window: PE i's own act vector
  input  wire            win,        // lane mode: a beat carries a window row of kw taps
  input  wire [KWW-1:0]  kw,
  input  wire            pad_one,
  input  wire [LLW-1:0]  lane_lo,
  input  wire [LSW-1:0]  lane_sh,    // dense segments: the run block's first lane (0 otherwise)
  input  wire [FB-1:0]   pads,       // per input position j: it is padding
  input  wire [S-1:0]    mask,       // the tile's lanes (of a run block: after the shift)
  output wire [S-1:0]    act,        // PE group 0's act vector (the only one in lane mode)
  output wire [QS-1:0]   acts,       // PE group q's act vector at bits [q x S +: S]
  output wire [PS-1:0]   pe_acts,    // PE i's act vector at bits [i x S +: S]
  output wire [S-1:0]    run_taps,   // lane mode: the lanes that carry a channel
  output wire [SS-1:0]   res_words,  // slot j's residual word at bits [j x S +: S]
  output wire [SI-1:0]   out_idxs,   // slot j's output word index at bits [j x WIW +: WIW]
  input  wire            bc_per_tap,
  input  wire [WIW-1:0]  bc_k,       // words between neighbouring columns' elements (bc_word_step)
  output wire [ES-1:0]   elem_words  // segment g's broadcast element word at bits [g x S +: S]
);
  localparam integer SL2 = $clog2(SEGS);
  localparam integer PL2 = $clog2(PEGS);
  localparam integer RJ  = FB < SLOTS ? FB : SLOTS;   // access positions a dense run can read

  `include "bnn_offsets.vh"
  // n x k for a constant n: the field value k shifted by each set bit of n (all 32 of them), added.
  function [WIW-1:0] times_k(input [WIW-1:0] k, input integer n);
    begin
      times_k = (n[0] ? k : {WIW{1'b0}}) + (n[1] ? k << 1 : {WIW{1'b0}}) + (n[2] ? k << 2 : {WIW{1'b0}}) + (n[3] ? k << 3 : {WIW{1'b0}})
        + (n[4] ? k << 4 : {WIW{1'b0}}) + (n[5] ? k << 5 : {WIW{1'b0}}) + (n[6] ? k << 6 : {WIW{1'b0}}) + (n[7] ? k << 7 : {WIW{1'b0}})
        + (n[8] ? k << 8 : {WIW{1'b0}}) + (n[9] ? k << 9 : {WIW{1'b0}}) + (n[10] ? k << 10 : {WIW{1'b0}}) + (n[11] ? k << 11 : {WIW{1'b0}})
        + (n[12] ? k << 12 : {WIW{1'b0}}) + (n[13] ? k << 13 : {WIW{1'b0}}) + (n[14] ? k << 14 : {WIW{1'b0}}) + (n[15] ? k << 15 : {WIW{1'b0}})
        + (n[16] ? k << 16 : {WIW{1'b0}}) + (n[17] ? k << 17 : {WIW{1'b0}}) + (n[18] ? k << 18 : {WIW{1'b0}}) + (n[19] ? k << 19 : {WIW{1'b0}})
        + (n[20] ? k << 20 : {WIW{1'b0}}) + (n[21] ? k << 21 : {WIW{1'b0}}) + (n[22] ? k << 22 : {WIW{1'b0}}) + (n[23] ? k << 23 : {WIW{1'b0}})
        + (n[24] ? k << 24 : {WIW{1'b0}}) + (n[25] ? k << 25 : {WIW{1'b0}}) + (n[26] ? k << 26 : {WIW{1'b0}}) + (n[27] ? k << 27 : {WIW{1'b0}})
        + (n[28] ? k << 28 : {WIW{1'b0}}) + (n[29] ? k << 29 : {WIW{1'b0}}) + (n[30] ? k << 30 : {WIW{1'b0}}) + (n[31] ? k << 31 : {WIW{1'b0}});
    end
  endfunction
  // Word idx of an access (0 past its FB words).
  function [S-1:0] word_at(input [FBS-1:0] words, input [WIW-1:0] idx);
    integer k;
    begin
      word_at = {S{1'b0}};
      for (k = 0; k < FB; k = k + 1) if (idx == WIW'(k)) word_at = words[lane_offset(k, S) +: S];
    end
  endfunction
  // The vector of PE-group mode peg_m among the PL2 + 1 modes' vectors.
  function [S-1:0] of_group_mode(input [lane_offset(PL2 + 1, S)-1:0] modes, input [PGW-1:0] m);
    integer k;
    begin
      of_group_mode = {S{1'b0}};
      for (k = 0; k <= PL2; k = k + 1) if (m == PGW'(k)) of_group_mode = modes[lane_offset(k, S) +: S];
    end
  endfunction
  // The vector of segment mode seg_m among the SL2 + 1 modes' vectors.
  function [S-1:0] of_mode(input [lane_offset(SL2 + 1, S)-1:0] modes, input [SMW-1:0] m);
    integer k;
    begin
      of_mode = {S{1'b0}};
      for (k = 0; k <= SL2; k = k + 1) if (m == SMW'(k)) of_mode = modes[lane_offset(k, S) +: S];
    end
  endfunction

  // Lanes of a run that carry taps: the first one, or the first kw with the window (kw <= FB:
  // the lowering fits the window's positions into one access).
  wire [KWW-1:0] taps    = win ? kw : KWW'(1);
  wire [FB-1:0]  tapmask = ~({FB{1'b1}} << taps);

  wire [lane_offset(FB, S)-1:0] srcs;   // position j's input word (the pad word when padded), masked
  wire [lane_offset(RJ, S)-1:0] runs;   // position j's word shifted down to its run block, masked
  wire [lane_offset(FB, P)-1:0] owns;   // bit i of position j's: PE i's channel (lane lane_lo + i)
  genvar g, m, i;
  generate
    for (g = 0; g < FB; g = g + 1) begin : g_pos
      wire [S-1:0] a_word = word_at(a_words, times_k(in_k, g));
      wire [S-1:0] raw    = pads[g] ? {S{pad_one}} : a_word;
      assign srcs[lane_offset(g, S) +: S] = raw & mask;
      assign owns[lane_offset(g, P) +: P] = P'(srcs[lane_offset(g, S) +: S] >> lane_lo);
      if (g < RJ) begin : g_run
        assign runs[lane_offset(g, S) +: S] = (raw >> lane_sh) & mask;
      end
    end
    for (g = 0; g < SLOTS; g = g + 1) begin : g_slot
      assign res_words[lane_offset(g, S) +: S] = word_at(b_words, times_k(res_k, g));
      assign out_idxs[lane_offset(g, WIW) +: WIW] = times_k(out_k, g);
    end
    for (g = 0; g < SEGS; g = g + 1) begin : g_elem
      assign elem_words[lane_offset(g, S) +: S] = bc_per_tap ? word_at(a_words, times_k(bc_k, g)) : a_words[S-1:0];
    end
  endgenerate

  // Dense runs: run g of PE group q is slot q 2^m + g's run block, S >> m lanes (lane_sh is
  // 0 without segments); slots past the access read 0.
  // Lane mode with segments or the window: the tap lanes of every run (without either the
  // PEs share act and PE i's weight is its own lane, lane_lo + i).
  wire [lane_offset(SL2 + 1, S)-1:0] tap_modes;
  genvar q;
  generate
    for (q = 0; q < PEGS; q = q + 1) begin : g_group
      wire [lane_offset(SL2 + 1, S)-1:0] act_modes;
      for (m = 0; m <= SL2; m = m + 1) begin : g_mode
        for (g = 0; g < (1 << m); g = g + 1) begin : g_run
          localparam integer J = (q << m) + g;
          if (J < RJ) begin : g_read
            assign act_modes[lane_offset(m, S) + lane_offset(g, S >> m) +: (S >> m)] = runs[lane_offset(J, S) +: (S >> m)];
          end else begin : g_past
            assign act_modes[lane_offset(m, S) + lane_offset(g, S >> m) +: (S >> m)] = {(S >> m){1'b0}};
          end
        end
      end
      assign acts[lane_offset(q, S) +: S] = of_mode(act_modes, seg_m);
    end
    for (m = 0; m <= SL2; m = m + 1) begin : g_tap_mode
      for (g = 0; g < (1 << m); g = g + 1) begin : g_run
        assign tap_modes[lane_offset(m, S) + lane_offset(g, S >> m) +: (S >> m)] = (S >> m)'(tapmask);
      end
    end
  endgenerate
  assign act      = acts[S-1:0];
  assign run_taps = of_mode(tap_modes, seg_m);

  // Lane mode with segments or the window: lane t of run g takes PE i's channel of position
  // g + t (t < taps): PE i's bits of the FB positions, shifted down by g and masked
  // (positions past the access shift in as 0).
  generate
    for (i = 0; i < P; i = i + 1) begin : g_pe
      wire [FB-1:0] col;   // bit j: PE i's channel at position j
      for (g = 0; g < FB; g = g + 1) begin : g_bit
        assign col[g] = owns[lane_offset(g, P) + i];
      end
      wire [lane_offset(SL2 + 1, S)-1:0] lane_modes;
      for (m = 0; m <= SL2; m = m + 1) begin : g_mode
        for (g = 0; g < (1 << m); g = g + 1) begin : g_run
          wire [FB-1:0] taps_of_run = (col >> g) & tapmask;
          if ((S >> m) >= FB) begin : g_wide
            assign lane_modes[lane_offset(m, S) + lane_offset(g, S >> m) +: (S >> m)] = (S >> m)'(taps_of_run);
          end else begin : g_narrow
            // A run narrower than the access: its positions past the run's lanes are no taps.
            assign lane_modes[lane_offset(m, S) + lane_offset(g, S >> m) +: (S >> m)] = taps_of_run[(S >> m)-1:0];
            wire past_run_unused = ^taps_of_run[FB-1:(S >> m)];
          end
        end
      end
      // Dense work: the act vector of this PE's group under each PE-group mode.
      wire [lane_offset(PL2 + 1, S)-1:0] group_modes;
      for (m = 0; m <= PL2; m = m + 1) begin : g_group_mode
        assign group_modes[lane_offset(m, S) +: S] = acts[lane_offset(group_of(i, P >> m, PEGS), S) +: S];
      end
      assign pe_acts[lane_offset(i, S) +: S] = lane_segs ? of_mode(lane_modes, seg_m) : of_group_mode(group_modes, peg_m);
    end
  endgenerate
endmodule
