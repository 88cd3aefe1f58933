// Test bench of bnn_sram: one clock edge per operation of ops.memh ({we, addr, wdata,
// wmask}); the read data is printed after each edge. The memory starts from init.memh.
module tb_sram;
  parameter integer DW = 12;
  parameter integer DEPTH = 10;
  parameter integer ABITS = 4;
  parameter integer COUNT = 1;
  reg  [DW+DW+ABITS:0] ops [0:COUNT-1];
  reg                  clk = 1'b0;
  reg                  we;
  reg  [ABITS-1:0]     addr;
  reg  [DW-1:0]        wdata, wmask;
  wire [DW-1:0]        rdata;
  integer k;

  bnn_sram #(.DW(DW), .DEPTH(DEPTH), .ABITS(ABITS), .INIT("init.memh")) dut (
    .clk(clk), .addr(addr), .we(we), .wdata(wdata), .wmask(wmask), .rdata(rdata));

  initial begin
    $readmemh("ops.memh", ops);
    for (k = 0; k < COUNT; k = k + 1) begin
      {we, addr, wdata, wmask} = ops[k];
      #1 clk = 1'b1;
      #1 clk = 1'b0;
      $display("%h", rdata);
    end
    $finish;
  end
endmodule
