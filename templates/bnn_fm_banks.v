// bnn_fm_banks: feature memory read and written BANKS words at a time.
//
// An access at addr with stride st covers words addr + i x st for i < BANKS: consecutive
// words (st = 1), or words a row apart for the vertical walk (st = a row pitch that the
// lowering makes 1 modulo BANKS). Either way word i lies in bank (addr + i) mod BANKS, so
// the words always lie in distinct banks: a physical implementation maps the array onto
// BANKS dual-port macros, rotates the words by addr mod BANKS and gives each macro its own
// row address, one word per macro per port and cycle. This behavioural model keeps one flat array `mem` instead, so that
// $readmemh and the harnesses that read u_fm.mem[a] see the memory the emitter lays out.
// Otherwise it is a dual-port RAM widened: synchronous reads, read-before-write on both ports, and
// a per-bit mask shared by the written words. Word addresses wrap modulo 2^ABITS, like every
// FM address of the engine (a window origin in the padding is a "negative" address whose
// later words are real ones). A word at or beyond DEPTH reads as zero and is never
// written, so an access may start anywhere up to the last word without the memory being
// padded past DEPTH. BANKS must be a power of two: the port widths are DW << log2(BANKS),
// as the sources never multiply.
module bnn_fm_banks #(
  parameter integer DW    = 8,    // bits per word
  parameter integer BANKS = 1,    // words per access, a power of two >= 1
  parameter integer DEPTH = 16,   // words
  parameter integer ABITS = 4,    // address bits
  parameter         INIT  = ""    // $readmemh image of the words (the rest read as zero)
) (
  input  wire                               clk,
  input  wire [ABITS-1:0]                   a_addr,
  input  wire [ABITS-1:0]                   a_stride, // words from word i to word i + 1 of port A's access
  output wire [(DW << $clog2(BANKS))-1:0]   a_rdata,  // word i = mem[a_addr + i x a_stride] of the previous cycle
  input  wire [ABITS-1:0]                   b_addr,
  input  wire [ABITS-1:0]                   b_stride, // the same for port B (reads and writes)
  input  wire                               we,
  input  wire [BANKS-1:0]                   wen,      // word i is written iff we & wen[i]
  input  wire [(DW << $clog2(BANKS))-1:0]   wdata,    // word i at bits [i x DW +: DW], as in both rdata
  input  wire [DW-1:0]                      wmask,    // per-bit, the same for every written word
  output wire [(DW << $clog2(BANKS))-1:0]   b_rdata   // word i = mem[b_addr + i x b_stride] of the previous cycle (old word)
);
  reg [DW-1:0] mem [0:DEPTH-1];

  // w x DW at elaboration: every call has constant arguments (a bit offset or a
  // width), so this is a constant, never a multiplier (EngineSourceTests checks both).
  function integer at(input integer w);
    begin
      at = w * DW;
    end
  endfunction

  integer k;
  initial begin
    for (k = 0; k < DEPTH; k = k + 1) mem[k] = {DW{1'b0}};
    if (INIT != "") $readmemh(INIT, mem);
  end

  // i x st for a constant i: st shifted by each set bit of i (all 32 of them), added (no multiplier),
  // modulo 2^ABITS.
  function [ABITS-1:0] times(input [ABITS-1:0] st, input integer i);
    begin
      times = (i[0] ? st : {ABITS{1'b0}}) + (i[1] ? st << 1 : {ABITS{1'b0}}) + (i[2] ? st << 2 : {ABITS{1'b0}}) + (i[3] ? st << 3 : {ABITS{1'b0}})
        + (i[4] ? st << 4 : {ABITS{1'b0}}) + (i[5] ? st << 5 : {ABITS{1'b0}}) + (i[6] ? st << 6 : {ABITS{1'b0}}) + (i[7] ? st << 7 : {ABITS{1'b0}})
        + (i[8] ? st << 8 : {ABITS{1'b0}}) + (i[9] ? st << 9 : {ABITS{1'b0}}) + (i[10] ? st << 10 : {ABITS{1'b0}}) + (i[11] ? st << 11 : {ABITS{1'b0}})
        + (i[12] ? st << 12 : {ABITS{1'b0}}) + (i[13] ? st << 13 : {ABITS{1'b0}}) + (i[14] ? st << 14 : {ABITS{1'b0}}) + (i[15] ? st << 15 : {ABITS{1'b0}})
        + (i[16] ? st << 16 : {ABITS{1'b0}}) + (i[17] ? st << 17 : {ABITS{1'b0}}) + (i[18] ? st << 18 : {ABITS{1'b0}}) + (i[19] ? st << 19 : {ABITS{1'b0}})
        + (i[20] ? st << 20 : {ABITS{1'b0}}) + (i[21] ? st << 21 : {ABITS{1'b0}}) + (i[22] ? st << 22 : {ABITS{1'b0}}) + (i[23] ? st << 23 : {ABITS{1'b0}})
        + (i[24] ? st << 24 : {ABITS{1'b0}}) + (i[25] ? st << 25 : {ABITS{1'b0}}) + (i[26] ? st << 26 : {ABITS{1'b0}}) + (i[27] ? st << 27 : {ABITS{1'b0}})
        + (i[28] ? st << 28 : {ABITS{1'b0}}) + (i[29] ? st << 29 : {ABITS{1'b0}}) + (i[30] ? st << 30 : {ABITS{1'b0}}) + (i[31] ? st << 31 : {ABITS{1'b0}});
    end
  endfunction

  // Word i's address (modulo 2^ABITS) and write data.
  wire [31:0]   a_word [0:BANKS-1];
  wire [31:0]   b_word [0:BANKS-1];
  wire [DW-1:0] wd     [0:BANKS-1];
  genvar g;
  generate
    for (g = 0; g < BANKS; g = g + 1) begin : g_word
      wire [ABITS-1:0] a_wrapped = a_addr + times(a_stride, g);
      wire [ABITS-1:0] b_wrapped = b_addr + times(b_stride, g);
      assign a_word[g] = 32'(a_wrapped);
      assign b_word[g] = 32'(b_wrapped);
      assign wd[g]     = wdata[at(g) +: DW];
    end
  endgenerate

  // The writes in one loop (Verilator unrolls it: no call in its body), the reads per word.
  integer i;
  always @(posedge clk)
    for (i = 0; i < BANKS; i = i + 1)
      if (we && wen[i] && b_word[i] < DEPTH)
        mem[b_word[i][ABITS-1:0]] <= (mem[b_word[i][ABITS-1:0]] & ~wmask) | (wd[i] & wmask);
  generate
    for (g = 0; g < BANKS; g = g + 1) begin : g_read
      reg [DW-1:0] a_q, b_q;
      always @(posedge clk) begin
        b_q <= b_word[g] < DEPTH ? mem[b_word[g][ABITS-1:0]] : {DW{1'b0}};
        a_q <= a_word[g] < DEPTH ? mem[a_word[g][ABITS-1:0]] : {DW{1'b0}};
      end
      assign a_rdata[at(g) +: DW] = a_q;
      assign b_rdata[at(g) +: DW] = b_q;
    end
  endgenerate
endmodule
