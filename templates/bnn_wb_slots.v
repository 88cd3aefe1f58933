// bnn_wb_slots: the write-back of a beat's position slots (docs/engine.md "Write-back",
// "Segments", "PE groups").
//
// One bnn_wb_segment per segment g over all P PEs (acc, residual add or gate, every
// threshold at once, cross-channel pooling), all driven by the same write-back state, so the
// positions of a group are written in the same cycles. With 2^peg_m PE groups, PE i of group
// q (PEs q P/Q ..) computed slot q G + g of segment g (G = 2^seg_m): it reads its residual
// from lane res_lane0 + i - q P/Q of that slot's residual word, and the group's lanes (its
// stored lanes (q P/Q) >> xcp_log2 .. when pooled) go to that slot's output word. The result
// is one access's write: {word enables, data}, every word belonging to at most one slot.
// Every product is a shift-and-add over a constant's bits or a constant shift (no multiplier).
module bnn_wb_slots #(
  parameter integer P     = 4,    // PEs
  parameter integer S     = 8,    // lanes
  parameter integer AW    = 16,   // accumulator (PE sum) width
  parameter integer XW    = 16,   // working width: max(AW, TW)
  parameter integer TW    = 16,   // threshold / bias width
  parameter integer TS    = 2,    // threshold-memory values per PE
  parameter integer TML   = 33,   // threshold-memory lane width: TS x TW + 1
  parameter integer TMW   = 132,  // threshold-memory word width: P x TML
  parameter integer QW    = 2,    // width of a threshold count q
  parameter integer QALL  = 8,    // P x QW
  parameter integer PAW   = 64,   // P x AW
  parameter integer PXW   = 64,   // P x XW
  parameter integer NTW   = 2,    // widths of n_thr, sc, sk, sa, sb, the residual plane index
  parameter integer SCW   = 2,
  parameter integer SKW   = 1,
  parameter integer SAW   = 2,
  parameter integer SBW   = 2,
  parameter integer RPW   = 2,
  parameter integer XIW   = 4,    // bit index into acc
  parameter integer QIW   = 1,    // bit index into q
  parameter integer OPW   = 1,    // width of the output plane index
  parameter integer SEGS  = 1,    // most segments
  parameter integer PEGS  = 1,    // most PE groups
  parameter integer SLOTS = 1,    // SEGS x PEGS
  parameter integer FB    = 1,    // words per access
  parameter integer FBS   = 8,    // FB x S
  parameter integer WRW   = 9,    // FBS + FB: one access's write
  parameter integer WIW   = 4,    // width of a word index
  parameter integer SMW   = 1,    // widths of seg_m, peg_m, a position count, lane0, res_lane0, xcp_log2
  parameter integer PGW   = 1,
  parameter integer XGW   = 8,
  parameter integer L0W   = 3,
  parameter integer R0W   = 3,
  parameter integer XCW   = 2,
  parameter integer SA    = 16,   // SEGS x AW
  parameter integer SX    = 16,   // SEGS x XW
  parameter integer PSA   = 64,   // P x SA
  parameter integer SS    = 8,    // SLOTS x S
  parameter integer SI    = 4     // SLOTS x WIW
) (
  input  wire            clk,
  input  wire            form,        // the acc cycle
  input  wire            res_step,    // a residual plane address is presented
  input  wire            add,         // the add cycle
  input  wire            pool_max,
  input  wire [PSA-1:0]  pe_sums,     // PE i's segment sums at bits [i x SA +: SA]
  input  wire [PSA-1:0]  own_sums,    // PE i's own (lane-mode) corrections, per segment
  input  wire [PSA-1:0]  grp_corrs,   // PE i's group's shared corrections, per segment
  input  wire            lane_mode,
  input  wire            corr_on,     // the layer subtracts a correction
  input  wire [SKW-1:0]  sk,
  input  wire [PXW-1:0]  corr_terms0, // segment 0's per-PE (corr << SK)
  input  wire [PAW-1:0]  tap_maxes,   // PE i's maximum over the taps (max pooling)
  input  wire [SX-1:0]   bcorr_terms, // segment g's (bsum << SB) at bits [g x XW +: XW] (act x act products)
  input  wire [SCW-1:0]  sc,
  input  wire [TMW-1:0]  tm_word,     // the tile's threshold-memory word
  input  wire [NTW-1:0]  n_thr,
  input  wire            rvalid,      // a residual plane arrives
  input  wire [RPW-1:0]  rplane,
  input  wire [SS-1:0]   res_words,   // slot j's residual word at bits [j x S +: S]
  input  wire [R0W-1:0]  res_lane0,
  input  wire            res_neg,
  input  wire            res_bip,
  input  wire            ew_gate,
  input  wire [SAW-1:0]  sa,
  input  wire [SBW-1:0]  sb,
  input  wire [OPW-1:0]  op,          // the output plane being written
  input  wire            out_raw,
  input  wire [XCW-1:0]  xcp_log2,    // cross-channel pooling: 0 none, 1 pairs, 2 fours
  input  wire [SI-1:0]   out_idxs,    // slot j's output word index at bits [j x WIW +: WIW]
  input  wire [XGW-1:0]  wb_x,        // the write-back's first position of the row
  input  wire [XGW-1:0]  ow,
  input  wire [SMW-1:0]  seg_m,
  input  wire [PGW-1:0]  peg_m,
  input  wire [L0W-1:0]  lane0,       // the tile's first stored lane
  output wire [WRW-1:0]  write        // {enables of the access's words, their data}
);
  localparam integer SL2 = $clog2(SEGS);
  localparam integer PL2 = $clog2(PEGS);

  `include "bnn_offsets.vh"
  // The value of PE-group mode m (or segment mode m) among every mode's values.
  function [P-1:0] p_of_group_mode(input [lane_offset(PL2 + 1, P)-1:0] modes, input [PGW-1:0] m);
    integer k;
    begin
      p_of_group_mode = {P{1'b0}};
      for (k = 0; k <= PL2; k = k + 1) if (m == PGW'(k)) p_of_group_mode = modes[lane_offset(k, P) +: P];
    end
  endfunction
  function bit_of_group_mode(input [PL2:0] modes, input [PGW-1:0] m);
    integer k;
    begin
      bit_of_group_mode = 1'b0;
      for (k = 0; k <= PL2; k = k + 1) if (m == PGW'(k)) bit_of_group_mode = modes[k];
    end
  endfunction
  function bit_of_seg_mode(input [SL2:0] modes, input [SMW-1:0] m);
    integer k;
    begin
      bit_of_seg_mode = 1'b0;
      for (k = 0; k <= SL2; k = k + 1) if (m == SMW'(k)) bit_of_seg_mode = modes[k];
    end
  endfunction
  function [WIW-1:0] idx_of_seg_mode(input [lane_offset(SL2 + 1, WIW)-1:0] modes, input [SMW-1:0] m);
    integer k;
    begin
      idx_of_seg_mode = {WIW{1'b0}};
      for (k = 0; k <= SL2; k = k + 1) if (m == SMW'(k)) idx_of_seg_mode = modes[lane_offset(k, WIW) +: WIW];
    end
  endfunction

  // Segment 0's corrections arrive formed (corr_terms0); the others are read per segment.
  wire seg0_corrections_unused = ^{own_sums, grp_corrs, lane_mode, corr_on, sk};   // all read only for segments > 0
  wire [lane_offset(SLOTS, P)-1:0] slot_res;   // slot j's residual lanes from res_lane0
  genvar g, i, q, mp, ms;
  generate
    for (g = 0; g < SLOTS; g = g + 1) begin : g_slot_res
      assign slot_res[lane_offset(g, P) +: P] = P'(res_words[lane_offset(g, S) +: S] >> res_lane0);
    end
  endgenerate
  generate
    for (g = 0; g < SEGS; g = g + 1) begin : g_seg_wb
      wire [PAW-1:0] cross_sums;
      wire [PXW-1:0] corr_terms;
      wire [P-1:0]   res_bits;
      for (i = 0; i < P; i = i + 1) begin : g_gather
        assign cross_sums[lane_offset(i, AW) +: AW] = pe_sums[lane_offset(i, SA) + lane_offset(g, AW) +: AW];
        if (g == 0) begin : g_own
          assign corr_terms[lane_offset(i, XW) +: XW] = corr_terms0[lane_offset(i, XW) +: XW];
        end else begin : g_segment
          // The segment's correction: PE i's own in lane mode, else its PE group's shared one.
          wire [AW-1:0] corr_g = lane_mode ? own_sums[lane_offset(i, SA) + lane_offset(g, AW) +: AW]
                                           : grp_corrs[lane_offset(i, SA) + lane_offset(g, AW) +: AW];
          assign corr_terms[lane_offset(i, XW) +: XW] = corr_on ? XW'($signed(corr_g)) << sk : {XW{1'b0}};
        end
        // PE i's residual bit under each PE-group and segment mode (its slot and lane). In
        // group 0 the slot is g under every segment mode (seg_m never exceeds SL2), so
        // there is nothing to select.
        wire [PL2:0] by_group;
        for (mp = 0; mp <= PL2; mp = mp + 1) begin : g_group_mode
          localparam integer GQ = group_of(i, P >> mp, PEGS);
          localparam integer GI = i - lane_offset(GQ, P >> mp);
          if (GQ == 0) begin : g_first_group
            assign by_group[mp] = slot_res[lane_offset(g, P) + GI];
          end else begin : g_other_group
            wire [SL2:0] by_seg;
            for (ms = 0; ms <= SL2; ms = ms + 1) begin : g_seg_mode
              localparam integer J = (GQ << ms) + g;
              if (J < SLOTS) begin : g_slot
                assign by_seg[ms] = slot_res[lane_offset(J, P) + GI];
              end else begin : g_none
                assign by_seg[ms] = 1'b0;
              end
            end
            assign by_group[mp] = bit_of_seg_mode(by_seg, seg_m);
          end
        end
        assign res_bits[i] = bit_of_group_mode(by_group, peg_m);
      end
      wire [P-1:0] out_bits;
      bnn_wb_segment #(
        .P(P), .AW(AW), .XW(XW), .TW(TW), .TS(TS), .TML(TML), .TMW(TMW), .QW(QW), .QALL(QALL),
        .PAW(PAW), .PXW(PXW), .NTW(NTW), .SCW(SCW), .SAW(SAW), .SBW(SBW),
        .RPW(RPW), .XIW(XIW), .QIW(QIW), .OPW(OPW)
      ) u_wb (
        .clk(clk), .form(form), .res_step(res_step), .add(add),
        .pool_max(pool_max), .cross_sums(cross_sums), .tap_maxes(g == 0 ? tap_maxes : {PAW{1'b0}}),
        .corr_terms(corr_terms), .bcorr_term(bcorr_terms[lane_offset(g, XW) +: XW]), .sc(sc), .tm_word(tm_word), .n_thr(n_thr),
        .rvalid(rvalid), .rplane(rplane), .res_bits(res_bits),
        .res_neg(res_neg), .res_bip(res_bip), .ew_gate(ew_gate), .sa(sa), .sb(sb), .op(op),
        .out_raw(out_raw), .xcp_mode(2'(xcp_log2)), .out_bits(out_bits));

      // PE group q writes its lanes (PEs q P/Q .., pooled: stored lanes (q P/Q) >> xcp_log2 ..)
      // to slot q G + g's word, when the beat has this segment and group and the slot's
      // position is in the row.
      for (q = 0; q < PEGS; q = q + 1) begin : g_group_wb
        wire [P-1:0]   grp_bits;
        wire [WIW-1:0] idx;
        if (q == 0) begin : g_first_group
          // Group 0 starts at PE 0 and writes slot g under every mode: nothing to select.
          assign grp_bits = out_bits;
          assign idx      = out_idxs[lane_offset(g, WIW) +: WIW];
        end else begin : g_other_group
          wire [lane_offset(PL2 + 1, P)-1:0] lane_modes;
          for (mp = 0; mp <= PL2; mp = mp + 1) begin : g_group_mode
            if (q < (1 << mp)) begin : g_used
              localparam integer FIRST = lane_offset(q, P >> mp);   // the group's first PE
              assign lane_modes[lane_offset(mp, P) +: P] = out_bits >> (FIRST >> xcp_log2);
            end else begin : g_none
              assign lane_modes[lane_offset(mp, P) +: P] = {P{1'b0}};
            end
          end
          wire [lane_offset(SL2 + 1, WIW)-1:0] idx_modes;
          for (ms = 0; ms <= SL2; ms = ms + 1) begin : g_seg_mode
            localparam integer J = (q << ms) + g;
            if (J < SLOTS) begin : g_slot
              assign idx_modes[lane_offset(ms, WIW) +: WIW] = out_idxs[lane_offset(J, WIW) +: WIW];
            end else begin : g_none
              assign idx_modes[lane_offset(ms, WIW) +: WIW] = {WIW{1'b0}};
            end
          end
          assign grp_bits = p_of_group_mode(lane_modes, peg_m);
          assign idx      = idx_of_seg_mode(idx_modes, seg_m);
        end
        wire [XGW-1:0] grp_x    = XGW'(q) << seg_m;
        wire [XGW-1:0] wb_xg    = wb_x + grp_x + XGW'(g);
        wire [XGW-1:0] n_segs   = XGW'(1) << seg_m;
        wire [XGW-1:0] n_groups = XGW'(1) << peg_m;
        wire           writes   = (XGW'(g) < n_segs) & (XGW'(q) < n_groups) & (wb_xg < ow);
        wire [S-1:0]   data     = S'(grp_bits) << lane0;
      end
    end

    // Word i of the access: each slot's hit on it and its data there, ORed in a chain over
    // the segments g and their groups q (each word belongs to at most one slot).
    for (i = 0; i < FB; i = i + 1) begin : g_word
      for (g = 0; g < SEGS; g = g + 1) begin : g_seg
        for (q = 0; q < PEGS; q = q + 1) begin : g_group
          wire hit = g_seg_wb[g].g_group_wb[q].writes & (g_seg_wb[g].g_group_wb[q].idx == WIW'(i));
          wire [S-1:0] data = hit ? g_seg_wb[g].g_group_wb[q].data : {S{1'b0}};
          wire any_hit;
          wire [S-1:0] any_data;
          if (q > 0) begin : g_after_group
            assign any_hit  = g_group[q - 1].any_hit | hit;
            assign any_data = g_group[q - 1].any_data | data;
          end else if (g > 0) begin : g_after_seg
            assign any_hit  = g_seg[g - 1].g_group[PEGS - 1].any_hit | hit;
            assign any_data = g_seg[g - 1].g_group[PEGS - 1].any_data | data;
          end else begin : g_first
            assign any_hit  = hit;
            assign any_data = data;
          end
        end
      end
      assign write[FBS + i]                = g_seg[SEGS - 1].g_group[PEGS - 1].any_hit;
      assign write[lane_offset(i, S) +: S] = g_seg[SEGS - 1].g_group[PEGS - 1].any_data;
    end
  endgenerate
endmodule
