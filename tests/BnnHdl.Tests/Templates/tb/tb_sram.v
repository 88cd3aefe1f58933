// Test bench of bnn_sram: one clock edge per operation of ops.memh ({we, a_addr, b_addr,
// wdata, wmask}; port B writes); both ports' read data are printed after each edge. The
// memory starts from init.memh.
module tb_sram;
  parameter integer DW = 12;
  parameter integer DEPTH = 10;
  parameter integer ABITS = 4;
  parameter integer COUNT = 1;
  reg  [DW+DW+ABITS+ABITS:0] ops [0:COUNT-1];
  reg                  clk = 1'b0;
  reg                  we;
  reg  [ABITS-1:0]     a_addr, b_addr;
  reg  [DW-1:0]        wdata, wmask;
  wire [DW-1:0]        a_rdata, b_rdata;
  integer k;

  bnn_sram #(.DW(DW), .DEPTH(DEPTH), .ABITS(ABITS), .INIT("init.memh")) dut (
    .clk(clk), .a_addr(a_addr), .a_rdata(a_rdata),
    .b_addr(b_addr), .we(we), .wdata(wdata), .wmask(wmask), .b_rdata(b_rdata));

  initial begin
    $readmemh("ops.memh", ops);
    for (k = 0; k < COUNT; k = k + 1) begin
      {we, a_addr, b_addr, wdata, wmask} = ops[k];
      #1 clk = 1'b1;
      #1 clk = 1'b0;
      $display("%h %h", a_rdata, b_rdata);
    end
    $finish;
  end
endmodule
