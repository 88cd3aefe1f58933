// bnn_pe: one processing element = one output channel.
//
// A beat multiplies S activation bits by S weight bits with AND gates (bipolar operands
// are handled outside by the SPEC section 2 identities: the activation-only correction is
// shared by all PEs and the weight-only terms are folded into the bias), counts the ones
// and accumulates the count shifted by the activation bit-plane.
module bnn_pe #(
  parameter integer S  = 8,   // lanes per beat
  parameter integer AW = 16,  // accumulator width
  parameter integer PW = 3    // width of the plane index
) (
  input  wire          clk,
  input  wire          en,
  input  wire          first,
  input  wire [PW-1:0] plane,
  input  wire [S-1:0]  act,
  input  wire [S-1:0]  wgt,
  output wire [AW-1:0] sum
);
  localparam integer CW = $clog2(S + 1);
  wire [CW-1:0] count;

  bnn_popcount #(.N(S)) u_popcount (.bits(act & wgt), .count(count));
  bnn_accum #(.CW(CW), .AW(AW), .PW(PW)) u_accum (
    .clk(clk), .en(en), .first(first), .plane(plane), .count(count), .acc(sum));
endmodule
