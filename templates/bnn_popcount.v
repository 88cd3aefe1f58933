// bnn_popcount: number of set bits of an N-bit vector, built as a tree of adders.
//
// Shape of the tree: N = 1 is a wire, N = 2 a half adder, N = 3 a full adder. Larger N
// keep one input bit aside and feed it as the carry-in of the adder that joins the
// popcounts of the two halves of the remaining N - 1 bits. For N = 2^k - 1 both halves
// are again of the form 2^(k-1) - 1, so no adder bit is wasted: this is the classic
// carry-save popcount (each adder level absorbs one input as its carry-in).
//
// The count has exactly $clog2(N + 1) bits; every adder is as wide as its result.
module bnn_popcount #(
  parameter integer N = 8
) (
  input  wire [N-1:0]           bits,
  output wire [$clog2(N+1)-1:0] count
);
  localparam integer W = $clog2(N + 1);

  generate
    if (N == 1) begin : g_wire
      assign count = bits;
    end else if (N == 2) begin : g_half_adder
      assign count = {bits[1] & bits[0], bits[1] ^ bits[0]};
    end else if (N == 3) begin : g_full_adder
      assign count = {(bits[0] & bits[1]) | (bits[2] & (bits[0] ^ bits[1])),
                      bits[0] ^ bits[1] ^ bits[2]};
    end else begin : g_tree
      // bits[0] is the carry-in; bits[NL:1] and bits[N-1:NL+1] are the two halves.
      localparam integer NL = (N - 1) / 2;
      localparam integer NR = N - 1 - NL;
      localparam integer WL = $clog2(NL + 1);
      localparam integer WR = $clog2(NR + 1);
      wire [WL-1:0] count_lo;
      wire [WR-1:0] count_hi;
      bnn_popcount #(.N(NL)) u_lo (.bits(bits[NL:1]),     .count(count_lo));
      bnn_popcount #(.N(NR)) u_hi (.bits(bits[N-1:NL+1]), .count(count_hi));
      assign count = W'(count_lo) + W'(count_hi) + W'(bits[0]);
    end
  endgenerate
endmodule
