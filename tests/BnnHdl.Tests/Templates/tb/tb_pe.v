// Test bench of bnn_pe: one clock edge per step of steps.memh
// ({en, first, neg, bcast, seg_m, bvals, plane, act, wgt}; bvals: segment g's element at [g BW +: BW]) and the SEGS accumulators printed
// after each edge (accumulator 0 first).
module tb_pe;
  parameter integer S = 8;
  parameter integer AW = 16;
  parameter integer PW = 3;
  parameter integer BW = 3;
  parameter integer SEGS = 1;
  parameter integer SMW = 1;
  parameter integer COUNT = 1;
  reg  [S+S+PW+BW*SEGS+SMW+3:0] steps [0:COUNT-1];
  reg               clk = 1'b0;
  reg               en, first, neg, bcast;
  reg  [BW*SEGS-1:0] bvals;
  reg  [PW-1:0]     plane;
  reg  [S-1:0]      act, wgt;
  reg  [SMW-1:0]    seg_m;
  wire [AW*SEGS-1:0] sums;
  wire [AW-1:0]     next;
  integer k, g;

  bnn_pe #(.S(S), .AW(AW), .PW(PW), .BW(BW), .SEGS(SEGS), .SMW(SMW)) dut (
    .clk(clk), .en(en), .first(first), .neg(neg), .plane(plane), .act(act), .wgt(wgt),
    .bcast(bcast), .bvals(bvals), .seg_m(seg_m), .next(next), .sums(sums));

  initial begin
    $readmemh("steps.memh", steps);
    for (k = 0; k < COUNT; k = k + 1) begin
      {en, first, neg, bcast, seg_m, bvals, plane, act, wgt} = steps[k];
      #1 clk = 1'b1;
      #1 clk = 1'b0;
      for (g = 0; g < SEGS; g = g + 1) $write("%0s%0d", g == 0 ? "" : " ", sums[g*AW +: AW]);
      $write("\n");
    end
    $finish;
  end
endmodule
