// bnn_pe: one processing element = one output channel (one channel of a depthwise layer,
// one row of an activation x activation product).
//
// A beat multiplies S activation bits by S weight bits with AND gates (bipolar operands
// are handled outside by the SPEC section 2 identities: the activation-only correction is
// shared by all PEs and the weight-only terms are folded into the bias), counts the ones
// and accumulates the count shifted by the activation bit-plane (subtracted on the sign
// plane of a signed input). In a broadcast beat (act x act product) the PE's single lane
// gates the broadcast element instead: the term is bval when its AND is 1, else 0.
module bnn_pe #(
  parameter integer S  = 8,   // lanes per beat
  parameter integer AW = 16,  // accumulator width
  parameter integer PW = 3,   // width of the plane index
  parameter integer BW = 1    // width of the broadcast element
) (
  input  wire          clk,
  input  wire          en,
  input  wire          first,
  input  wire          neg,
  input  wire [PW-1:0] plane,
  input  wire [S-1:0]  act,
  input  wire [S-1:0]  wgt,
  input  wire          bcast,
  input  wire [BW-1:0] bval,
  output wire [AW-1:0] next,
  output wire [AW-1:0] sum
);
  localparam integer CW = $clog2(S + 1);
  localparam integer VW = CW > BW ? CW : BW;
  wire [CW-1:0] count;
  wire [VW-1:0] value = bcast ? ((count != {CW{1'b0}}) ? VW'(bval) : {VW{1'b0}}) : VW'(count);

  bnn_popcount #(.N(S)) u_popcount (.bits(act & wgt), .count(count));
  bnn_accum #(.CW(VW), .AW(AW), .PW(PW)) u_accum (
    .clk(clk), .en(en), .first(first), .neg(neg), .plane(plane), .count(value), .next(next), .acc(sum));
endmodule
