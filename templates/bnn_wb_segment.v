// bnn_wb_segment: the write-back of one segment (docs/engine.md "Write-back", "Segments").
//
// One output position's write-back for the P PEs: each PE's bnn_wb_lane (acc, residual add
// or gate, every threshold at once), the cross-channel max pooling of their values, and
// the bit of the output plane being written for every stored lane (the raw accumulator's
// bit for raw layers). A segmented engine has one of these per segment, all driven by the
// same write-back state: the segments of a position group are written in the same cycles.
module bnn_wb_segment #(
  parameter integer P    = 4,    // PEs
  parameter integer AW   = 16,   // accumulator (PE sum) width
  parameter integer XW   = 16,   // working width: max(AW, TW)
  parameter integer TW   = 16,   // threshold / bias width
  parameter integer TS   = 2,    // threshold-memory values per PE
  parameter integer TML  = 33,   // threshold-memory lane width: TS x TW + 1
  parameter integer TMW  = 132,  // threshold-memory word width: P x TML
  parameter integer QW   = 2,    // width of a threshold count q
  parameter integer QALL = 8,    // P x QW
  parameter integer PAW  = 64,   // P x AW
  parameter integer PXW  = 64,   // P x XW
  parameter integer NTW  = 2,    // widths of n_thr, sc, sa, sb, the residual plane index
  parameter integer SCW  = 2,
  parameter integer SAW  = 2,
  parameter integer SBW  = 2,
  parameter integer RPW  = 2,
  parameter integer XIW  = 4,    // bit index into acc
  parameter integer QIW  = 1,    // bit index into q
  parameter integer OPW  = 1     // width of the output plane index: max(XIW, QIW)
) (
  input  wire            clk,
  input  wire            form,        // the acc cycle
  input  wire            res_step,    // a residual plane address is presented
  input  wire            add,         // the add cycle
  input  wire            pool_max,
  input  wire [PAW-1:0]  cross_sums,  // PE i's sum at bits [i x AW +: AW]
  input  wire [PAW-1:0]  tap_maxes,   // PE i's maximum over the taps (max pooling)
  input  wire [PXW-1:0]  corr_terms,  // PE i's (corr << SK) at bits [i x XW +: XW]
  input  wire [XW-1:0]   bcorr_term,
  input  wire [SCW-1:0]  sc,
  input  wire [TMW-1:0]  tm_word,     // the tile's threshold-memory word
  input  wire [NTW-1:0]  n_thr,
  input  wire            rvalid,      // a residual plane arrives
  input  wire [RPW-1:0]  rplane,
  input  wire [P-1:0]    res_bits,    // that plane's bit for each PE
  input  wire            res_neg,
  input  wire            res_bip,
  input  wire            ew_gate,
  input  wire [SAW-1:0]  sa,
  input  wire [SBW-1:0]  sb,
  input  wire [OPW-1:0]  op,          // the output plane being written
  input  wire            out_raw,
  input  wire [1:0]      xcp_mode,    // cross-channel pooling: 0 none, 1 pairs, 2 fours
  output wire [P-1:0]    out_bits     // bit op of each stored lane's value
);
  `include "bnn_offsets.vh"

  wire [QALL-1:0] q_all;    // each PE's thresholded value q
  wire [QALL-1:0] pooled;   // each stored lane's (pooled) value
  wire [P-1:0]    raw_bits; // bit op of each PE's raw accumulator

  genvar i;
  generate
    for (i = 0; i < P; i = i + 1) begin : g_lane
      wire [QW-1:0] q;
      bnn_wb_lane #(
        .AW(AW), .XW(XW), .TW(TW), .TS(TS), .TML(TML), .QW(QW), .NTW(NTW),
        .SCW(SCW), .SAW(SAW), .SBW(SBW), .RPW(RPW), .XIW(XIW)
      ) u_lane (
        .clk(clk), .form(form), .res_step(res_step), .add(add), .pool_max(pool_max),
        .cross_sum(cross_sums[lane_offset(i, AW) +: AW]), .tap_max(tap_maxes[lane_offset(i, AW) +: AW]),
        .corr_term(corr_terms[lane_offset(i, XW) +: XW]), .bcorr_term(bcorr_term), .sc(sc),
        .tm_lane(tm_word[lane_offset(i, TML) +: TML]), .n_thr(n_thr),
        .rvalid(rvalid), .rplane(rplane), .res_bit(res_bits[i]), .res_neg(res_neg), .res_bip(res_bip),
        .ew_gate(ew_gate), .sa(sa), .sb(sb), .op(XIW'(op)), .q(q), .raw_bit(raw_bits[i]));
      assign q_all[lane_offset(i, QW) +: QW] = q;
      wire [QW-1:0] q_stored = pooled[lane_offset(i, QW) +: QW];
      assign out_bits[i] = out_raw ? raw_bits[i] : q_stored[QIW'(op)];
    end
  endgenerate

  bnn_channel_pool #(.P(P), .QW(QW), .QALL(QALL)) u_channel_pool (
    .mode(xcp_mode), .q_all(q_all), .pooled(pooled));
endmodule
