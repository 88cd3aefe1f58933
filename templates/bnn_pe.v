// bnn_pe: one processing element = one output channel (one channel of a depthwise layer,
// one row of an activation x activation product).
//
// A beat multiplies S activation bits by S weight bits with AND gates (bipolar operands
// are handled outside by the SPEC section 2 identities: the activation-only correction is
// shared by all PEs and the weight-only terms are folded into the bias), counts the ones
// and accumulates the count shifted by the activation bit-plane (subtracted on the sign
// plane of a signed input). In a broadcast beat (act x act product) the PE's single lane
// gates the broadcast element instead: the term is bval when its AND is 1, else 0; with
// segments each accumulator g has its own element (column x + g) and its own run's lane.
//
// Segments (docs/engine.md "Segments"): with 2^seg_m segments the S lanes are 2^seg_m runs
// of S >> seg_m lanes, run g belonging to output position x + g, and accumulator g sums
// run g alone. The popcount is therefore built from the SEGS smallest runs joined pairwise
// level by level (which costs no more adders than one S-input tree): level SL2 - seg_m
// holds the 2^seg_m run counts. With seg_m = 0 accumulator 0 takes the whole count.
module bnn_pe #(
  parameter integer S    = 8,   // lanes per beat
  parameter integer AW   = 16,  // accumulator width
  parameter integer PW   = 3,   // width of the plane index
  parameter integer BW   = 1,   // width of the broadcast element
  parameter integer SEGS = 1,   // most segments (a power of two dividing S)
  parameter integer SMW  = 1    // width of seg_m
) (
  input  wire                    clk,
  input  wire                    en,
  input  wire                    first,
  input  wire                    neg,
  input  wire [PW-1:0]           plane,
  input  wire [S-1:0]            act,
  input  wire [S-1:0]            wgt,
  input  wire                    bcast,
  input  wire [(BW << SL2)-1:0]  bvals,  // segment g's broadcast element at bits [g x BW +: BW]
  input  wire [SMW-1:0]          seg_m,  // log2 of this beat's segments (0: one sum)
  output wire [AW-1:0]           next,   // the value accumulator 0 takes this cycle
  output wire [(AW << SL2)-1:0]  sums    // accumulator g at bits [g x AW +: AW]
);
  localparam integer SL2 = $clog2(SEGS);
  localparam integer L   = S >> SL2;           // lanes of the smallest run
  localparam integer LCW = $clog2(L + 1);
  localparam integer CW  = $clog2(S + 1);
  localparam integer VW  = CW > BW ? CW : BW;

  // k x w at elaboration: every call has constant arguments (a bit offset or a
  // width), so this is a constant, never a multiplier (EngineSourceTests checks both).
  function integer times(input integer k, input integer w);
    begin
      times = k * w;
    end
  endfunction

  wire [S-1:0] bits = act & wgt;

  genvar g, j, m;
  generate
    // Level j of the tree holds the counts of SEGS >> j runs (level 0: the smallest runs),
    // one wire per node.
    for (j = 0; j <= SL2; j = j + 1) begin : g_level
      for (g = 0; g < (SEGS >> j); g = g + 1) begin : g_node
        wire [CW-1:0] c;
        if (j == 0) begin : g_leaf
          wire [LCW-1:0] run_count;
          bnn_popcount #(.N(L)) u_popcount (.bits(bits[times(g, L) +: L]), .count(run_count));
          assign c = CW'(run_count);
        end else begin : g_join
          assign c = g_level[j - 1].g_node[g + g].c + g_level[j - 1].g_node[g + g + 1].c;
        end
      end
    end

    for (g = 0; g < SEGS; g = g + 1) begin : g_acc
      // This accumulator's count: run g of the level the segment mode selects, 0 when the
      // mode has fewer runs. Mode m's choice falls through to mode m - 1's.
      for (m = 0; m <= SL2; m = m + 1) begin : g_mode
        wire [CW-1:0] pick;
        if (m == 0) begin : g_base
          if (g == 0) begin : g_has
            assign pick = (seg_m == SMW'(0)) ? g_level[SL2].g_node[0].c : {CW{1'b0}};
          end else begin : g_none
            assign pick = {CW{1'b0}};
          end
        end else if (g < (1 << m)) begin : g_has
          assign pick = (seg_m == SMW'(m)) ? g_level[SL2 - m].g_node[g].c : g_mode[m - 1].pick;
        end else begin : g_none
          assign pick = g_mode[m - 1].pick;
        end
      end
      wire [CW-1:0] count = g_mode[SL2].pick;

      // A broadcast beat's term is segment g's element where the count is not 0.
      wire [BW-1:0] bval  = bvals[times(g, BW) +: BW];
      wire [VW-1:0] value = bcast ? ((count != {CW{1'b0}}) ? VW'(bval) : {VW{1'b0}}) : VW'(count);
      if (g == 0) begin : g_first
        bnn_accum #(.CW(VW), .AW(AW), .PW(PW)) u_accum (
          .clk(clk), .en(en), .first(first), .neg(neg), .plane(plane), .count(value),
          .next(next), .acc(sums[AW-1:0]));
      end else begin : g_other
        wire [AW-1:0] next_unused;
        bnn_accum #(.CW(VW), .AW(AW), .PW(PW)) u_accum (
          .clk(clk), .en(en), .first(first), .neg(neg), .plane(plane), .count(value),
          .next(next_unused), .acc(sums[times(g, AW) +: AW]));
      end
    end
  endgenerate
endmodule
