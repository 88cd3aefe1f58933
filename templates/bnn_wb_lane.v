// bnn_wb_lane: the write-back of one PE (docs/engine.md "Write-back").
//
// In the acc cycle (form) it forms acc = (cross << SC) - corr_term - bcorr_term + bias, or
// tap_max + bias for max pooling. With a residual (res_step cycles, then add) it shifts
// each arriving residual plane into r (the top plane of I(w) negative, B as 2u - 1) and
// forms (acc << sa) + (r << sb), or gates acc by r (U(1): zero where 0; B: negate where -1).
// Every threshold slot j <= n_thr of the PE's threshold-memory lane is compared with acc at
// once; q counts those reached (n_thr - count for direction 1), combinationally, so the
// write cycles that follow read q (and bit `op` of the raw accumulator) directly.
module bnn_wb_lane #(
  parameter integer AW  = 16,  // accumulator (PE sum) width
  parameter integer XW  = 16,  // working width: max(AW, TW)
  parameter integer TW  = 16,  // threshold / bias width
  parameter integer TS  = 2,   // threshold-memory values per PE: bias + TS - 1 thresholds
  parameter integer TML = 33,  // threshold-memory lane width: TS x TW + 1
  parameter integer QW  = 2,   // width of q
  parameter integer NTW = 2,   // width of n_thr
  parameter integer SCW = 2,   // widths of the shift amounts sc, sa, sb
  parameter integer SAW = 2,
  parameter integer SBW = 2,
  parameter integer RPW = 2,   // width of the residual plane index
  parameter integer XIW = 4    // bit index into acc
) (
  input  wire           clk,
  input  wire           form,        // the acc cycle
  input  wire           res_step,    // a residual plane address is presented (WB_RES)
  input  wire           add,         // the add cycle (WB_ADD)
  input  wire           pool_max,
  input  wire [AW-1:0]  cross_sum,
  input  wire [AW-1:0]  tap_max,
  input  wire [XW-1:0]  corr_term,   // (corr << SK), 0 without a correction
  input  wire [XW-1:0]  bcorr_term,  // (bsum << SB), 0 without one
  input  wire [SCW-1:0] sc,
  input  wire [TML-1:0] tm_lane,     // bias, thresholds, direction bit
  input  wire [NTW-1:0] n_thr,
  input  wire           rvalid,      // a residual plane arrives
  input  wire [RPW-1:0] rplane,
  input  wire           res_bit,
  input  wire           res_neg,     // this plane counts negative (top plane of I(w))
  input  wire           res_bip,     // the residual is B
  input  wire           ew_gate,     // gate instead of add
  input  wire [SAW-1:0] sa,
  input  wire [SBW-1:0] sb,
  input  wire [XIW-1:0] op,          // the output plane being written
  output wire [QW-1:0]  q,
  output wire           raw_bit
);
  // slot x TW at elaboration: every call has constant arguments (a bit offset or a
  // width), so this is a constant, never a multiplier (EngineSourceTests checks both).
  function integer at(input integer slot);
    begin
      at = slot * TW;
    end
  endfunction

  wire [XW-1:0] bias_x = XW'($signed(tm_lane[0 +: TW]));
  wire          dir    = tm_lane[TML - 1];

  reg  [XW-1:0] acc;
  wire [TS-2:0] reached;
  genvar t;
  generate
    for (t = 1; t < TS; t = t + 1) begin : g_thr
      wire [XW-1:0] thr_x = XW'($signed(tm_lane[at(t) +: TW]));
      assign reached[t - 1] = ($signed(acc) >= $signed(thr_x)) & (n_thr >= NTW'(t));
    end
  endgenerate
  wire [$clog2(TS)-1:0] cnt;
  bnn_popcount #(.N(TS - 1)) u_thr_count (.bits(reached), .count(cnt));

  // Residual value r, accumulated plane by plane as the planes arrive; r_next includes the
  // plane arriving now, r_val is the operand (B: 2u - 1).
  reg  [XW-1:0] r;
  wire [XW-1:0] r_plane = XW'(res_bit) << rplane;
  wire [XW-1:0] r_next  = rvalid ? (res_neg ? r - r_plane : r + r_plane) : r;
  wire [XW-1:0] r_val   = res_bip ? (r_next << 1) - 1'b1 : r_next;
  wire [XW-1:0] gated   = r_next[0] ? acc : (res_bip ? {XW{1'b0}} - acc : {XW{1'b0}});

  always @(posedge clk) begin
    if (form) r <= {XW{1'b0}};
    else if (res_step) r <= r_next;
  end

  always @(posedge clk) begin
    if (form) begin
      acc <= pool_max ? XW'(tap_max) + bias_x
           : $signed(XW'($signed(cross_sum)) << sc) - $signed(corr_term) - $signed(bcorr_term) + $signed(bias_x);
    end else if (add) begin
      acc <= ew_gate ? gated : (acc << sa) + (r_val << sb);
    end
  end

  assign q       = dir ? QW'(n_thr) - QW'(cnt) : QW'(cnt);
  assign raw_bit = acc[op];
endmodule
