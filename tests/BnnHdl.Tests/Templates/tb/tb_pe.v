// Test bench of bnn_pe: one clock edge per step of steps.memh ({en, first, plane, act, wgt})
// and the accumulator printed after each edge.
module tb_pe;
  parameter integer S = 8;
  parameter integer AW = 16;
  parameter integer PW = 3;
  parameter integer COUNT = 1;
  reg  [S+S+PW+1:0] steps [0:COUNT-1];
  reg               clk = 1'b0;
  reg               en, first;
  reg  [PW-1:0]     plane;
  reg  [S-1:0]      act, wgt;
  wire [AW-1:0]     sum;
  integer k;

  bnn_pe #(.S(S), .AW(AW), .PW(PW)) dut (
    .clk(clk), .en(en), .first(first), .plane(plane), .act(act), .wgt(wgt), .sum(sum));

  initial begin
    $readmemh("steps.memh", steps);
    for (k = 0; k < COUNT; k = k + 1) begin
      {en, first, plane, act, wgt} = steps[k];
      #1 clk = 1'b1;
      #1 clk = 1'b0;
      $display("%0d", sum);
    end
    $finish;
  end
endmodule
