// bnn_rom: behavioral read-only memory with a synchronous read port.
//
// The data of the address given in cycle c is valid in cycle c + 1 and stays valid while
// the address does not change (the engine relies on this: its descriptor ROMs double as
// the descriptor registers). Contents come from INIT ($readmemh, one hex word per line);
// words the file does not cover read as zero.
module bnn_rom #(
  parameter integer DW    = 8,    // word width
  parameter integer DEPTH = 16,   // words
  parameter integer ABITS = 4,    // address width
  parameter         INIT  = ""    // memory image file, "" = all zero
) (
  input  wire             clk,
  input  wire [ABITS-1:0] addr,
  output reg  [DW-1:0]    rdata
);
  reg [DW-1:0] mem [0:DEPTH-1];

  integer k;
  initial begin
    for (k = 0; k < DEPTH; k = k + 1) mem[k] = {DW{1'b0}};
    if (INIT != "") $readmemh(INIT, mem);
  end

  always @(posedge clk) rdata <= mem[addr];
endmodule
