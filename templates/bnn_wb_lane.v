// bnn_wb_lane: the write-back of one PE (docs/engine.md "Write-back").
//
// In the acc cycle (form) it forms acc = (cross << SC) - corr_term - bcorr_term + bias, or
// tap_max + bias for max pooling. With a residual (res_step cycles, then add) it shifts
// each arriving residual plane into r (the top plane of I(w) negative, B as 2u - 1) and
// forms (acc << sa) + (r << sb), or gates acc by r (U(1): zero where 0; B: negate where -1).
// Every threshold slot j <= n_thr of the PE's threshold-memory lane is compared at once with
// the value acc takes, in the cycle it takes it, and the reached bits are registered with
// acc; q counts them (n_thr - count for direction 1), so the write cycles that follow read
// q (and bit `op` of the raw accumulator) directly.
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

  // Residual value r, accumulated plane by plane as the planes arrive. The values the
  // registers take are functions of the registers (called only in the branches that load
  // them), so that a simulator evaluates them in those cycles alone; synthesis builds the
  // same logic as wires would.
  reg  [XW-1:0] r;
  // r with the plane arriving now (r itself when none arrives).
  function [XW-1:0] r_arrived(input [XW-1:0] r_old);
    begin
      r_arrived = rvalid ? (res_neg ? r_old - (XW'(res_bit) << rplane) : r_old + (XW'(res_bit) << rplane)) : r_old;
    end
  endfunction
  // The value acc takes in the acc cycle (forming) or the add cycle: the formed sum (or the
  // max-pooling tap maximum) plus the bias; then acc and r combined: (acc << sa) + (r << sb)
  // with r as the operand (B: 2u - 1), or acc gated by r (U(1): zero where 0; B: negate
  // where -1).
  function [XW-1:0] acc_next(input forming, input [XW-1:0] acc_old, input [XW-1:0] r_now);
    begin
      if (forming)
        acc_next = pool_max ? XW'(tap_max) + bias_x
                 : $signed(XW'($signed(cross_sum)) << sc) - $signed(corr_term) - $signed(bcorr_term) + $signed(bias_x);
      else if (ew_gate)
        acc_next = r_now[0] ? acc_old : (res_bip ? {XW{1'b0}} - acc_old : {XW{1'b0}});
      else
        acc_next = (acc_old << sa) + ((res_bip ? (r_now << 1) - 1'b1 : r_now) << sb);
    end
  endfunction
  // Threshold t of slots 1 .. n_thr reached by value v (bit t - 1).
  function [TS-2:0] reached_by(input [XW-1:0] v);
    integer t;
    begin
      for (t = 1; t < TS; t = t + 1)
        reached_by[t - 1] = ($signed(v) >= $signed(XW'($signed(tm_lane[at(t) +: TW])))) & (n_thr >= NTW'(t));
    end
  endfunction

  always @(posedge clk) begin
    if (form) r <= {XW{1'b0}};
    else if (res_step) r <= r_arrived(r);
  end

  // acc and the thresholds it reaches are registered together: the compares sit before the
  // register, so the write cycles read the count without comparing (the tile's thresholds
  // and n_thr hold until its last write: docs/engine.md "Overlapped write-back").
  reg  [XW-1:0] acc;
  reg  [TS-2:0] reached;
  always @(posedge clk) begin
    if (form | add) begin
      acc     <= acc_next(form, acc, r_arrived(r));
      reached <= reached_by(acc_next(form, acc, r_arrived(r)));
    end
  end
  wire [$clog2(TS)-1:0] cnt;
  bnn_popcount #(.N(TS - 1)) u_thr_count (.bits(reached), .count(cnt));

  assign q       = dir ? QW'(n_thr) - QW'(cnt) : QW'(cnt);
  assign raw_bit = acc[op];
endmodule
