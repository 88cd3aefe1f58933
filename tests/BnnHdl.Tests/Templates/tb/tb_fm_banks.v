// Test bench of bnn_fm_banks: one clock edge per operation of ops.memh ({we, wen, a_addr,
// a_stride, b_addr, b_stride, wdata, wmask}; port B writes); after each edge it prints port A's BANKS words,
// '|', then port B's, word 0 first, each word on its own so that its hex digits do not
// run into the next word's. The memory starts from init.memh.
module tb_fm_banks;
  parameter integer DW = 12;
  parameter integer BANKS = 4;
  parameter integer DEPTH = 10;
  parameter integer ABITS = 4;
  parameter integer COUNT = 1;
  localparam integer WW = BANKS * DW;
  reg  [WW+DW+4*ABITS+BANKS:0] ops [0:COUNT-1];
  reg                  clk = 1'b0;
  reg                  we;
  reg  [BANKS-1:0]     wen;
  reg  [ABITS-1:0]     a_addr, b_addr, a_stride, b_stride;
  reg  [WW-1:0]        wdata;
  reg  [DW-1:0]        wmask;
  wire [WW-1:0]        a_rdata, b_rdata;
  integer k, w;

  bnn_fm_banks #(.DW(DW), .BANKS(BANKS), .DEPTH(DEPTH), .ABITS(ABITS), .INIT("init.memh")) dut (
    .clk(clk), .a_addr(a_addr), .a_stride(a_stride), .a_rdata(a_rdata),
    .b_addr(b_addr), .b_stride(b_stride), .we(we), .wen(wen), .wdata(wdata), .wmask(wmask), .b_rdata(b_rdata));

  initial begin
    $readmemh("ops.memh", ops);
    for (k = 0; k < COUNT; k = k + 1) begin
      {we, wen, a_addr, a_stride, b_addr, b_stride, wdata, wmask} = ops[k];
      #1 clk = 1'b1;
      #1 clk = 1'b0;
      for (w = 0; w < BANKS; w = w + 1) $write("%h ", a_rdata[w * DW +: DW]);
      $write("|");
      for (w = 0; w < BANKS; w = w + 1) $write(" %h", b_rdata[w * DW +: DW]);
      $write("\n");
    end
    $finish;
  end
endmodule
