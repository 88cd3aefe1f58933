// bnn_accum: shift-by-plane accumulator of bit-serial popcounts.
//
// Multi-bit activations arrive one bit-plane per beat; plane p weighs 2^p, so each beat
// adds count << plane. The sign plane of a two's-complement input weighs -2^p, so its
// beats subtract (neg). The first beat of an output restarts the sum (no separate clear
// cycle), which keeps one output position at exactly one cycle per beat. `next` is the
// value the accumulator takes at the end of this cycle (max pooling compares it).
// The sum is kept modulo 2^AW: the lowering sizes AW so that every true sum fits.
module bnn_accum #(
  parameter integer CW = 4,   // width of the popcount
  parameter integer AW = 16,  // accumulator width
  parameter integer PW = 3    // width of the plane index
) (
  input  wire          clk,
  input  wire          en,     // a beat's data is valid this cycle
  input  wire          first,  // this beat starts a new output
  input  wire          neg,    // this beat's plane counts negative (sign plane)
  input  wire [PW-1:0] plane,
  input  wire [CW-1:0] count,
  output wire [AW-1:0] next,
  output reg  [AW-1:0] acc
);
  wire [AW-1:0] term = AW'(count) << plane;
  wire [AW-1:0] base = first ? {AW{1'b0}} : acc;

  assign next = neg ? base - term : base + term;

  always @(posedge clk) begin
    if (en) acc <= next;
  end
endmodule
