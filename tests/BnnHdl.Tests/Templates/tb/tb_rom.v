// Test bench of bnn_rom: one clock edge per address of addrs.memh; the read data is
// printed before and after each edge (synchronous read: it changes only at the edge).
module tb_rom;
  parameter integer DW = 20;
  parameter integer DEPTH = 9;
  parameter integer ABITS = 4;
  parameter integer COUNT = 1;
  reg  [ABITS-1:0] addrs [0:COUNT-1];
  reg              clk = 1'b0;
  reg  [ABITS-1:0] addr;
  wire [DW-1:0]    rdata;
  integer k;

  bnn_rom #(.DW(DW), .DEPTH(DEPTH), .ABITS(ABITS), .INIT("init.memh")) dut (
    .clk(clk), .addr(addr), .rdata(rdata));

  initial begin
    $readmemh("addrs.memh", addrs);
    for (k = 0; k < COUNT; k = k + 1) begin
      addr = addrs[k];
      #1 $display("%h", rdata);
      clk = 1'b1;
      #1 clk = 1'b0;
      $display("%h", rdata);
    end
    $finish;
  end
endmodule
