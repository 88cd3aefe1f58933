// Test bench of bnn_pe: one clock edge per step of steps.memh
// ({en, first, neg, bcast, bval, plane, act, wgt}) and the accumulator printed after each edge.
module tb_pe;
  parameter integer S = 8;
  parameter integer AW = 16;
  parameter integer PW = 3;
  parameter integer BW = 3;
  parameter integer COUNT = 1;
  reg  [S+S+PW+BW+3:0] steps [0:COUNT-1];
  reg               clk = 1'b0;
  reg               en, first, neg, bcast;
  reg  [BW-1:0]     bval;
  reg  [PW-1:0]     plane;
  reg  [S-1:0]      act, wgt;
  wire [AW-1:0]     sum, next;
  integer k;

  bnn_pe #(.S(S), .AW(AW), .PW(PW), .BW(BW)) dut (
    .clk(clk), .en(en), .first(first), .neg(neg), .plane(plane), .act(act), .wgt(wgt),
    .bcast(bcast), .bval(bval), .next(next), .sum(sum));

  initial begin
    $readmemh("steps.memh", steps);
    for (k = 0; k < COUNT; k = k + 1) begin
      {en, first, neg, bcast, bval, plane, act, wgt} = steps[k];
      #1 clk = 1'b1;
      #1 clk = 1'b0;
      $display("%0d", sum);
    end
    $finish;
  end
endmodule
