// bnn_pe_array: the beat datapath of the engine (docs/engine.md "Arithmetic of one output",
// "Segments", "PE groups", "Activation x activation products").
//
// Takes the beat pipeline (what the feature-memory data arriving this cycle belongs to) and
// the layer's fields from bnn_engine, and keeps every sum the write-back needs:
// - bnn_seg_input: each PE's act vector from the access's words, each slot's residual word
//   and output word index;
// - P layer PEs (act AND weight, or the PE's own lanes with all-ones weights), P lane-mode
//   correction PEs (each PE's own input lane) and one correction PE per PE group (the
//   group's shared correction, all-ones weights), each with one accumulator per segment;
// - one broadcast element per segment (act x act products): its planes arrive before a
//   tap's beats, bsum is their sum over the taps;
// - the count of a window's inside taps (sum pooling of a padded B input);
// - per PE its segment 0 correction term (corr << SK) and its maximum over the taps (max
//   pooling).
// Every product is a constant offset or a shift (no multiplier).
module bnn_pe_array #(
  parameter integer P    = 4,    // PEs
  parameter integer S    = 8,    // lanes
  parameter integer AW   = 16,   // accumulator width
  parameter integer XW   = 16,   // working width: max(AW, TW)
  parameter integer PW   = 2,    // width of an input plane index
  parameter integer BW   = 3,    // width of a broadcast element value
  parameter integer SEGS = 1,    // most segments
  parameter integer PEGS = 1,    // most PE groups
  parameter integer SLOTS = 1,   // SEGS x PEGS
  parameter integer FB   = 1,    // words per access
  parameter integer FBS  = 8,    // FB x S
  parameter integer WIW  = 4,    // width of a word index
  parameter integer SMW  = 1,    // widths of seg_m, peg_m, lane_lo, lane_sh, a lane index, kw,
  parameter integer PGW  = 1,    //   a broadcast plane index, sk and sbc
  parameter integer LLW  = 3,
  parameter integer LSW  = 3,
  parameter integer LNW  = 3,
  parameter integer KWW  = 2,
  parameter integer BKW  = 2,
  parameter integer SKW  = 1,
  parameter integer SBCW = 1,
  parameter integer PS   = 32,   // P x S
  parameter integer PSA  = 64,   // P x SEGS x AW
  parameter integer PXW  = 64,   // P x XW
  parameter integer PAW  = 64,   // P x AW
  parameter integer SX   = 16,   // SEGS x XW
  parameter integer SS   = 8,    // SLOTS x S
  parameter integer SI   = 4     // SLOTS x WIW
) (
  input  wire            clk,
  // the access's words (port A: the beat; port B: the residual planes) and the weight words
  input  wire [FBS-1:0]  a_words,
  input  wire [FBS-1:0]  b_words,
  input  wire [PS-1:0]   wm_word,       // PE i's weight word at bits [i x S +: S]
  // the beat pipeline: what the data arriving this cycle belongs to
  input  wire            d_valid,
  input  wire            d_first,       // the position's first beat
  input  wire            d_neg,         // the sign plane of a signed input
  input  wire [PW-1:0]   d_plane,
  input  wire            d_tap_first,
  input  wire            d_tap_last,
  input  wire [FB-1:0]   d_pads,        // per input position of the access: it is padding
  input  wire [S-1:0]    d_mask,        // the tile's lanes of this beat
  input  wire [LSW-1:0]  d_lane_sh,
  input  wire            d_bvalid,      // a broadcast element plane arrives
  input  wire [BKW-1:0]  d_bplane,
  input  wire [LNW-1:0]  d_blane,
  // the layer's fields and the FM access geometry
  input  wire [SMW-1:0]  seg_m,
  input  wire [PGW-1:0]  peg_m,
  input  wire            lane_mode,
  input  wire            win,
  input  wire [KWW-1:0]  kw,
  input  wire            pad_one,
  input  wire [LLW-1:0]  lane_lo,
  input  wire [WIW-1:0]  in_pos_words,  // words between neighbouring positions' inputs
  input  wire [WIW-1:0]  out_pos_words, // ... their outputs
  input  wire [WIW-1:0]  res_pos_words, // ... their residuals
  input  wire            bcast,
  input  wire            bc_per_tap,
  input  wire [WIW-1:0]  bc_k,          // words between the segments' broadcast elements
  input  wire            pool_max,
  input  wire            ones,
  input  wire            inside_count,
  input  wire            corr_on,
  input  wire [SKW-1:0]  sk,
  input  wire            bcorr_on,
  input  wire [SBCW-1:0] sbc,
  // to the write-back (bnn_wb_slots)
  output wire [PSA-1:0]  pe_sums,       // PE i's segment sums at bits [i x SEGS x AW +: SEGS x AW]
  output wire [PSA-1:0]  pe_own_sums,   // PE i's own (lane-mode) corrections, per segment
  output wire [PSA-1:0]  pe_grp_corrs,  // PE i's group's shared corrections, per segment
  output wire [PXW-1:0]  corr_terms0,   // segment 0's per-PE (corr << SK)
  output wire [PAW-1:0]  tap_maxes,     // PE i's maximum over the taps
  output wire [SX-1:0]   bcorr_terms,   // segment g's (bsum << SBC)
  output wire [SS-1:0]   res_words,     // slot j's residual word
  output wire [SI-1:0]   out_idxs       // slot j's output word index
);
  localparam integer PL2 = $clog2(PEGS);

  `include "bnn_offsets.vh"

  localparam integer SA = lane_offset(SEGS, AW);
  // The values of PE-group mode m among every mode's values.
  function [SA-1:0] sa_of_group_mode(input [lane_offset(PL2 + 1, SA)-1:0] modes, input [PGW-1:0] m);
    integer k;
    begin
      sa_of_group_mode = {SA{1'b0}};
      for (k = 0; k <= PL2; k = k + 1) if (m == PGW'(k)) sa_of_group_mode = modes[lane_offset(k, SA) +: SA];
    end
  endfunction

  // What each segment reads: its input word (act vectors), residual word and output word.
  wire [S-1:0]   act, run_taps;
  wire [lane_offset(PEGS, S)-1:0] acts;        // each PE group's act vector
  wire [PS-1:0]                   pe_acts;
  wire [lane_offset(SEGS, S)-1:0] elem_words;  // segment g's broadcast element word
  // Lane mode with segments or the window: every PE has its own act vector.
  wire lane_segs = lane_mode & ((seg_m != {SMW{1'b0}}) | win);
  bnn_seg_input #(
    .P(P), .S(S), .SEGS(SEGS), .PEGS(PEGS), .SLOTS(SLOTS), .FB(FB), .FBS(FBS), .WIW(WIW), .SMW(SMW), .PGW(PGW),
    .LLW(LLW), .LSW(LSW), .KWW(KWW),
    .PS(PS), .SS(SS), .SI(SI), .QS(lane_offset(PEGS, S)), .ES(lane_offset(SEGS, S))
  ) u_seg_input (
    .a_words(a_words), .b_words(b_words), .in_k(in_pos_words), .out_k(out_pos_words), .res_k(res_pos_words),
    .seg_m(seg_m), .peg_m(peg_m), .lane_segs(lane_segs), .win(win), .kw(kw), .pad_one(pad_one), .lane_lo(lane_lo),
    .lane_sh(d_lane_sh), .pads(d_pads), .mask(d_mask), .act(act), .acts(acts), .pe_acts(pe_acts), .run_taps(run_taps),
    .res_words(res_words), .out_idxs(out_idxs), .bc_per_tap(bc_per_tap), .bc_k(bc_k), .elem_words(elem_words));
  wire act_unused = ^act;   // group 0's act is acts[S-1:0]
  wire d_pad = d_pads[0];

  // corr = sum over beats of popcount(act) << p (sign plane negative), once for all PEs of a
  // PE group; with segments one per segment: a PE whose weights are all ones, per PE group.
  wire [lane_offset(PEGS, SA)-1:0] corrs;   // PE group q's segment sums at bits [q x SA +: SA]
  genvar q, sg, i, g;
  generate
    for (q = 0; q < PEGS; q = q + 1) begin : g_corr
      wire [AW-1:0] corr_next_unused;
      bnn_pe #(.S(S), .AW(AW), .PW(PW), .BW(1), .SEGS(SEGS), .SMW(SMW)) u_corr (
        .clk(clk), .en(d_valid), .first(d_first), .neg(d_neg), .plane(d_plane), .act(acts[lane_offset(q, S) +: S]), .wgt({S{1'b1}}),
        .bcast(1'b0), .bvals({SEGS{1'b0}}), .seg_m(seg_m), .next(corr_next_unused), .sums(corrs[lane_offset(q, SA) +: SA]));
    end
  endgenerate
  // Max pooling restarts the PE sums at every tap (a tap's value is its planes' sum).
  wire pe_first = pool_max ? d_tap_first : d_first;

  // Broadcast elements, one per segment g (column m + g): their planes arrive one per cycle
  // before the tap's beats, from lane d_blane + g of the access's first word (bc_per_tap = 0:
  // the G columns are neighbouring channels of one word) or lane d_blane of its word
  // g x bc_word_step (bc_per_tap = 1: neighbouring positions); bsum_g = sum of segment g's
  // elements over the taps, shared by all PEs.
  wire [lane_offset(SEGS, BW)-1:0] bvals;
  generate
    for (sg = 0; sg < SEGS; sg = sg + 1) begin : g_bc
      wire [S-1:0]   eword = elem_words[lane_offset(sg, S) +: S];   // from bnn_seg_input
      wire [LNW-1:0] elane = bc_per_tap ? d_blane : d_blane + LNW'(sg);
      wire           bbit  = |(eword & ({{(S-1){1'b0}}, 1'b1} << elane));
      reg  [BW-1:0]  bval;
      reg  [AW-1:0]  bsum;
      always @(posedge clk) begin
        if (d_bvalid) bval <= (d_bplane == {BKW{1'b0}} ? {BW{1'b0}} : bval) | (BW'(bbit) << d_bplane);
        if (d_valid & d_tap_first) bsum <= (d_first ? {AW{1'b0}} : bsum) + AW'(bval);
      end
      assign bvals[lane_offset(sg, BW) +: BW] = bval;
      assign bcorr_terms[lane_offset(sg, XW) +: XW] = bcorr_on ? XW'(bsum) << sbc : {XW{1'b0}};
    end
  endgenerate
  // inside_count (sum pooling of a padded B input): the correction is the number of the
  // window's inside taps, counted once per tap and shared by all PEs.
  reg  [AW-1:0] n_inside;
  always @(posedge clk) begin
    if (d_valid & d_tap_first) n_inside <= (d_first ? {AW{1'b0}} : n_inside) + AW'(!d_pad);
  end
  // In lane mode PE i's own input lane is lane_lo + i (run_taps with segments or the window:
  // the first lane, or the first kw lanes, of every run, where bnn_seg_input puts the PE's
  // channel).
  wire [S-1:0]  own_one = {{(S-1){1'b0}}, 1'b1} << lane_lo;

  generate
    for (i = 0; i < P; i = i + 1) begin : g_pe
      wire [SA-1:0] sums, own_sums;
      wire [AW-1:0] cross_next;
      wire [S-1:0]  pe_act = pe_acts[lane_offset(i, S) +: S];
      // This PE's group's shared corrections (one per segment) under each PE-group mode.
      wire [lane_offset(PL2 + 1, SA)-1:0] corr_modes;
      for (g = 0; g <= PL2; g = g + 1) begin : g_corr_mode
        assign corr_modes[lane_offset(g, SA) +: SA] = corrs[lane_offset(group_of(i, P >> g, PEGS), SA) +: SA];
      end
      wire [SA-1:0] grp_corrs = sa_of_group_mode(corr_modes, peg_m);
      assign pe_grp_corrs[lane_offset(i, SA) +: SA] = grp_corrs;
      // All-ones weights: PE i's weight word is its own lane alone (no weight memory read),
      // or the first lane of every run when segmented.
      wire [S-1:0]  own_lanes = lane_segs ? run_taps : own_one << i;
      wire [S-1:0]  wgt = ones ? own_lanes : wm_word[lane_offset(i, S) +: S];
      bnn_pe #(.S(S), .AW(AW), .PW(PW), .BW(BW), .SEGS(SEGS), .SMW(SMW)) u_pe (
        .clk(clk), .en(d_valid), .first(pe_first), .neg(d_neg), .plane(d_plane),
        .act(pe_act), .wgt(wgt), .bcast(bcast), .bvals(bvals), .seg_m(seg_m), .next(cross_next), .sums(sums));
      assign pe_sums[lane_offset(i, SA) +: SA] = sums;

      // Lane mode: this PE's own correction (one per segment), from its input lane only.
      wire [AW-1:0] own_next_unused;
      bnn_pe #(.S(S), .AW(AW), .PW(PW), .BW(1), .SEGS(SEGS), .SMW(SMW)) u_own (
        .clk(clk), .en(d_valid), .first(d_first), .neg(d_neg), .plane(d_plane),
        .act(pe_act), .wgt(own_lanes), .bcast(1'b0), .bvals({SEGS{1'b0}}), .seg_m(seg_m), .next(own_next_unused), .sums(own_sums));
      assign pe_own_sums[lane_offset(i, SA) +: SA] = own_sums;
      wire [AW-1:0] own_corr = own_sums[AW-1:0];
      wire [XW-1:0] corr_src = inside_count ? XW'(n_inside)
                             : lane_mode ? XW'($signed(own_corr)) : XW'($signed(grp_corrs[AW-1:0]));
      assign corr_terms0[lane_offset(i, XW) +: XW] = corr_on ? corr_src << sk : {XW{1'b0}};

      // Max pooling: the maximum over the inside taps of each tap's value (values >= 0).
      reg  [AW-1:0] tap_max;
      wire [AW-1:0] max_base = d_first ? {AW{1'b0}} : tap_max;
      always @(posedge clk) begin
        if (d_valid) begin
          if (d_tap_last) tap_max <= (!d_pad && cross_next > max_base) ? cross_next : max_base;
          else if (d_first) tap_max <= {AW{1'b0}};
        end
      end
      assign tap_maxes[lane_offset(i, AW) +: AW] = tap_max;
    end
  endgenerate
endmodule
