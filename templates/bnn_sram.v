// bnn_sram: behavioral dual-port RAM, synchronous reads, per-bit write mask.
//
// Port A only reads (the engine's beats); port B reads and writes (the write-back unit's
// residual reads and output writes), so the write-back of one position overlaps the
// beats of the next. A write changes only the bits set in wmask: several output channels
// share one feature-memory word and are written by different tiles. A read of a word in
// the cycle it is written returns the old word (on either port). Contents start from INIT
// ($readmemh); the rest reads as zero.
module bnn_sram #(
  parameter integer DW    = 8,
  parameter integer DEPTH = 16,
  parameter integer ABITS = 4,
  parameter         INIT  = ""
) (
  input  wire             clk,
  input  wire [ABITS-1:0] a_addr,
  output reg  [DW-1:0]    a_rdata,
  input  wire [ABITS-1:0] b_addr,
  input  wire             we,
  input  wire [DW-1:0]    wdata,
  input  wire [DW-1:0]    wmask,
  output reg  [DW-1:0]    b_rdata
);
  reg [DW-1:0] mem [0:DEPTH-1];

  integer k;
  initial begin
    for (k = 0; k < DEPTH; k = k + 1) mem[k] = {DW{1'b0}};
    if (INIT != "") $readmemh(INIT, mem);
  end

  always @(posedge clk) begin
    if (we) mem[b_addr] <= (mem[b_addr] & ~wmask) | (wdata & wmask);
    b_rdata <= mem[b_addr];
    a_rdata <= mem[a_addr];
  end
endmodule
