// bnn_channel_pool: Condensation-Net cross-channel max pooling at write-back.
//
// Stored lane i takes the maximum thresholded value q of PEs G i .. G i + G - 1 for a
// pooling group G = 2^mode (mode 0: none, 1: pairs, 2: fours; for B, q is the stored bit,
// so the maximum is the OR). Unsigned comparators only, combinational between the PEs' q
// registers and the write data, so pooling costs no cycle. Lanes whose group would reach
// past PE P - 1 never store a pooled value (G divides the tile's active PEs) and give 0.
module bnn_channel_pool #(
  parameter integer P    = 4,   // PEs (and stored lanes)
  parameter integer QW   = 2,   // width of one q
  parameter integer QALL = 8    // P x QW, computed by the instantiating module
) (
  input  wire [1:0]      mode,
  input  wire [QALL-1:0] q_all,   // PE i at bits [i x QW +: QW]
  output wire [QALL-1:0] pooled   // stored lane i at bits [i x QW +: QW]
);
  // lane x QW at elaboration: every call has constant arguments (a bit offset or a
  // width), so this is a constant, never a multiplier (EngineSourceTests checks both).
  function integer at(input integer lane);
    begin
      at = lane * QW;
    end
  endfunction

  genvar i;
  generate
    for (i = 0; i < P; i = i + 1) begin : g_lane
      wire [QW-1:0] q_self = q_all[at(i) +: QW];
      wire [QW-1:0] max2, max4;
      if (i + i + 1 < P) begin : g_pair
        wire [QW-1:0] q0 = q_all[at(i + i) +: QW];
        wire [QW-1:0] q1 = q_all[at(i + i + 1) +: QW];
        assign max2 = q0 > q1 ? q0 : q1;
      end else begin : g_no_pair
        assign max2 = {QW{1'b0}};
      end
      if (i + i + i + i + 3 < P) begin : g_quad
        wire [QW-1:0] q0 = q_all[at(i + i + i + i) +: QW];
        wire [QW-1:0] q1 = q_all[at(i + i + i + i + 1) +: QW];
        wire [QW-1:0] q2 = q_all[at(i + i + i + i + 2) +: QW];
        wire [QW-1:0] q3 = q_all[at(i + i + i + i + 3) +: QW];
        wire [QW-1:0] m01 = q0 > q1 ? q0 : q1;
        wire [QW-1:0] m23 = q2 > q3 ? q2 : q3;
        assign max4 = m01 > m23 ? m01 : m23;
      end else begin : g_no_quad
        assign max4 = {QW{1'b0}};
      end
      assign pooled[at(i) +: QW] = mode == 2'd2 ? max4 : (mode == 2'd1 ? max2 : q_self);
    end
  endgenerate
endmodule
