// bnn_sram: behavioral single-port RAM, synchronous read, per-bit write mask.
//
// One port serves reads and writes (the engine never reads and writes in the same
// cycle). A write changes only the bits set in wmask: several output channels share one
// feature-memory word and are written by different tiles. A read in the cycle of a write
// returns the old word. Contents start from INIT ($readmemh); the rest reads as zero.
module bnn_sram #(
  parameter integer DW    = 8,
  parameter integer DEPTH = 16,
  parameter integer ABITS = 4,
  parameter         INIT  = ""
) (
  input  wire             clk,
  input  wire [ABITS-1:0] addr,
  input  wire             we,
  input  wire [DW-1:0]    wdata,
  input  wire [DW-1:0]    wmask,
  output reg  [DW-1:0]    rdata
);
  reg [DW-1:0] mem [0:DEPTH-1];

  integer k;
  initial begin
    for (k = 0; k < DEPTH; k = k + 1) mem[k] = {DW{1'b0}};
    if (INIT != "") $readmemh(INIT, mem);
  end

  always @(posedge clk) begin
    if (we) mem[addr] <= (mem[addr] & ~wmask) | (wdata & wmask);
    rdata <= mem[addr];
  end
endmodule
